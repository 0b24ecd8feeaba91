package io.github.stscanary.canary.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to check that an image's manifest exists in its registry, with the same registry access
 * settings as an {@link ImageBuildRequest}.
 *
 * @param image image reference with tag or digest, for example {@code
 *     127.0.0.1:5000/library/version-test:v2}
 * @param credentials credentials for the image's registry, or {@code null} to ask anonymously
 * @param caFiles PEM files with CA certificates trusted in addition to the JVM's
 * @param allowInsecureRegistries whether HTTPS without certificate verification, then plain HTTP,
 *     may be tried after verified HTTPS fails
 * @param offline whether Maven runs offline, which rules out the check
 * @param proxyProperties Java proxy system properties from settings.xml, set during the check
 * @param timeout timeout of each HTTP request
 */
public record ManifestCheckRequest(
    String image,
    RegistryCredentials credentials,
    List<Path> caFiles,
    boolean allowInsecureRegistries,
    boolean offline,
    Map<String, String> proxyProperties,
    Duration timeout) {

  public ManifestCheckRequest {
    Objects.requireNonNull(image, "image");
    caFiles = List.copyOf(caFiles);
    proxyProperties = Map.copyOf(proxyProperties);
    Objects.requireNonNull(timeout, "timeout");
  }

  public Optional<RegistryCredentials> credentialsIfAny() {
    return Optional.ofNullable(credentials);
  }
}
