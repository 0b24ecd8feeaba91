package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.ImageBuildException;
import io.github.stscanary.canary.image.ImageReferences;
import io.github.stscanary.canary.image.ManifestCheck;
import io.github.stscanary.canary.image.ManifestCheckRequest;
import io.github.stscanary.canary.image.RegistryCredentials;
import io.github.stscanary.canary.rollout.ImageCheck;
import io.github.stscanary.canary.rollout.RolloutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Checks a deploy's image in its registry, with the credentials, CA files, proxies and insecure
 * opt-in that {@code canary:build} would use for the same registry.
 *
 * @param credentials finds the credentials of a registry as the build does
 * @param username explicit {@code <username>}, or null
 * @param password explicit {@code <password>}, or null
 * @param caFiles PEM files with extra CA certificates
 * @param allowInsecureRegistries whether unverified HTTPS and plain HTTP may be tried
 * @param offline whether Maven runs offline
 * @param proxyProperties Java proxy system properties from settings.xml
 * @param timeout timeout of each registry request
 * @param log where the check reports progress
 */
record RegistryImageCheck(
    RegistryCredentialResolver credentials,
    String username,
    String password,
    List<Path> caFiles,
    boolean allowInsecureRegistries,
    boolean offline,
    Map<String, String> proxyProperties,
    Duration timeout,
    ProgressLog log)
    implements ImageCheck {

  @Override
  public void requireExists(String image) {
    ManifestCheckRequest request =
        new ManifestCheckRequest(
            image,
            credentialsFor(image).orElse(null),
            caFiles,
            allowInsecureRegistries,
            offline,
            proxyProperties,
            timeout);
    try {
      new ManifestCheck(log).requireManifest(request);
    } catch (ImageBuildException e) {
      throw new RolloutException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RolloutException("Interrupted while checking that image " + image + " exists", e);
    }
  }

  private Optional<RegistryCredentials> credentialsFor(String image) {
    Optional<String> registry = ImageReferences.registryOf(image);
    if (registry.isEmpty()) {
      return Optional.empty();
    }
    try {
      return credentials.resolve(registry.get(), username, password, "<username>/<password>");
    } catch (MojoFailureException e) {
      throw new RolloutException(e.getMessage(), e);
    }
  }
}
