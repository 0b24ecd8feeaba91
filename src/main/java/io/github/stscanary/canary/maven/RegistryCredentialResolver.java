package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.DockerConfigCredentials;
import io.github.stscanary.canary.image.ImageBuildException;
import io.github.stscanary.canary.image.RegistryCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Finds the credentials for a registry, first match wins: the goal's username and password
 * parameters, then a settings.xml {@code <server>} whose id is the registry host with its port,
 * then one whose id is the host alone, then the Docker config file.
 */
final class RegistryCredentialResolver {

  private static final String DOCKER_HUB_REGISTRY = "registry-1.docker.io";

  private final Settings settings;
  private final SettingsDecrypter decrypter;
  private final DockerConfigCredentials dockerConfig;
  private final ProgressLog log;

  RegistryCredentialResolver(
      Settings settings,
      SettingsDecrypter decrypter,
      DockerConfigCredentials dockerConfig,
      ProgressLog log) {
    this.settings = settings;
    this.decrypter = decrypter;
    this.dockerConfig = dockerConfig;
    this.log = log;
  }

  /**
   * Returns the credentials for {@code registry}, or empty to access it anonymously.
   *
   * @param registry registry host with optional port, as in the image reference
   * @param username explicit username parameter, or null
   * @param password explicit password parameter, or null
   * @param parameters the POM elements of the explicit pair, for messages, for example {@code
   *     <username>/<password>}
   * @throws MojoFailureException if only one of username and password is set, a settings.xml
   *     password cannot be decrypted, or the Docker config is not valid JSON
   */
  Optional<RegistryCredentials> resolve(
      String registry, String username, String password, String parameters)
      throws MojoFailureException {
    if (isSet(username) || isSet(password)) {
      if (!isSet(username) || !isSet(password)) {
        throw new MojoFailureException(
            "Only one of "
                + parameters
                + " is set for registry "
                + registry
                + ". Set both, or neither to use a settings.xml <server> or the Docker config.");
      }
      return Optional.of(new RegistryCredentials(username, password, parameters + " parameters"));
    }
    Optional<RegistryCredentials> fromSettings = fromSettings(registry);
    if (fromSettings.isPresent()) {
      return fromSettings;
    }
    try {
      return dockerConfig.find(registry, log);
    } catch (ImageBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
  }

  private Optional<RegistryCredentials> fromSettings(String registry) throws MojoFailureException {
    for (String id : serverIds(registry)) {
      Server server = settings == null ? null : settings.getServer(id);
      if (server == null) {
        continue;
      }
      Server decrypted = decrypt(server);
      if (!isSet(decrypted.getUsername()) || !isSet(decrypted.getPassword())) {
        log.debug("settings.xml <server> '" + id + "' has no username and password; skipping it");
        continue;
      }
      return Optional.of(
          new RegistryCredentials(
              decrypted.getUsername(),
              decrypted.getPassword(),
              "settings.xml <server> '" + id + "'"));
    }
    return Optional.empty();
  }

  /** Returns the server ids that may hold credentials for {@code registry}, in lookup order. */
  static List<String> serverIds(String registry) {
    List<String> ids = new ArrayList<>();
    ids.add(registry);
    int colon = registry.lastIndexOf(':');
    if (colon > 0 && !registry.endsWith("]")) {
      ids.add(registry.substring(0, colon));
    }
    if (DOCKER_HUB_REGISTRY.equals(registry)) {
      ids.add("docker.io");
      ids.add("index.docker.io");
    }
    return ids;
  }

  private Server decrypt(Server server) throws MojoFailureException {
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
        throw new MojoFailureException(
            "Failed to decrypt the password of settings.xml <server> '"
                + server.getId()
                + "': "
                + problem.getMessage()
                + ". Check the master password in ~/.m2/settings-security.xml, or run mvn"
                + " --encrypt-password again.");
      }
    }
    return result.getServer();
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
