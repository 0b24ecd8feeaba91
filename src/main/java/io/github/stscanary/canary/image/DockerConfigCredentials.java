package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.registry.credentials.DockerConfigCredentialRetriever;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Looks up registry credentials in a Docker {@code config.json}, as {@code docker login} writes it:
 * a base64 {@code auth} entry under {@code auths}, or a {@code credHelpers} / {@code credsStore}
 * credential helper, which jib-core runs as {@code docker-credential-<name>}.
 */
public final class DockerConfigCredentials {

  private final Path configFile;

  public DockerConfigCredentials(Path configFile) {
    this.configFile = configFile;
  }

  /** Uses {@code $DOCKER_CONFIG/config.json}, or {@code ~/.docker/config.json} by default. */
  public static DockerConfigCredentials fromEnvironment() {
    String dockerConfig = System.getenv("DOCKER_CONFIG");
    Path directory =
        dockerConfig != null && !dockerConfig.isBlank()
            ? Path.of(dockerConfig)
            : Path.of(System.getProperty("user.home"), ".docker");
    return new DockerConfigCredentials(directory.resolve("config.json"));
  }

  public Path configFile() {
    return configFile;
  }

  /**
   * Returns the credentials for {@code registry} (host with optional port), or empty when the file
   * does not exist or has no entry for it. A failing credential helper is logged as a warning and
   * treated as no entry.
   *
   * @throws ImageBuildException if the file is not valid JSON
   */
  public Optional<RegistryCredentials> find(String registry, ProgressLog log)
      throws ImageBuildException {
    Optional<Credential> credential;
    try {
      credential =
          DockerConfigCredentialRetriever.create(registry, configFile)
              .retrieve(event -> forward(event, log));
    } catch (IOException e) {
      throw new ImageBuildException(
          Reason.CREDENTIALS,
          "Failed to read Docker config "
              + configFile
              + ": "
              + e.getMessage()
              + ". Fix the file, or give the credentials for "
              + registry
              + " another way: <username>/<password> or a settings.xml <server> with id "
              + registry
              + ".",
          e);
    }
    return credential.map(
        c ->
            new RegistryCredentials(
                c.getUsername(), c.getPassword(), "Docker config " + configFile));
  }

  private static void forward(LogEvent event, ProgressLog log) {
    if (event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR) {
      log.warn(event.getMessage());
    } else {
      log.debug(event.getMessage());
    }
  }
}
