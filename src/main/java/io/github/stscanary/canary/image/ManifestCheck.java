package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Checks that an image's manifest exists in its registry before a deploy puts the image into a pod
 * template, with one {@code HEAD /v2/<repository>/manifests/<tag or digest>} request plus the
 * registry's basic or bearer token authentication. It uses the same credentials, CA files, proxies
 * and insecure opt-in as {@code canary:build}.
 *
 * <p>HTTPS comes first. Only with {@code allowInsecureRegistries} does the check fall back to HTTPS
 * without certificate verification and then to plain HTTP, in the order jib-core uses. Like
 * jib-core, it sends no credentials over plain HTTP unless the {@code sendCredentialsOverHttp}
 * system property is true.
 */
public final class ManifestCheck {

  private final ProgressLog log;

  public ManifestCheck(ProgressLog log) {
    this.log = log;
  }

  /**
   * Returns the digest that the registry reported for the image's manifest, or empty when it sent
   * none.
   *
   * @throws ImageBuildException when the manifest does not exist, Maven is offline, or the registry
   *     is unreachable, untrusted, or rejects the credentials. The message names the property that
   *     skips the check.
   */
  public Optional<String> requireManifest(ManifestCheckRequest request)
      throws ImageBuildException, InterruptedException {
    ImageReference reference = parse(request.image());
    ManifestCheckFailures failures = new ManifestCheckFailures(request, reference);
    if (request.offline()) {
      throw failures.offline();
    }
    if (request.proxyProperties().isEmpty()) {
      return check(reference, request, failures);
    }
    synchronized (RegistryPush.JVM_SETTINGS_LOCK) {
      try (ScopedSystemProperties proxies = ScopedSystemProperties.set(request.proxyProperties())) {
        return check(reference, request, failures);
      }
    }
  }

  private Optional<String> check(
      ImageReference reference, ManifestCheckRequest request, ManifestCheckFailures failures)
      throws ImageBuildException, InterruptedException {
    String path = "/v2/" + reference.getRepository() + "/manifests/" + reference.getQualifier();
    log.info("Checking that image " + request.image() + " exists in its registry");
    Connected connected = connect(reference.getRegistry(), path, request, failures);
    RegistryEndpoint endpoint = connected.endpoint();
    HttpResponse<Void> response = connected.response();
    if (response.statusCode() == 401) {
      response = authenticate(endpoint, path, response, reference, request, failures);
    }
    int status = response.statusCode();
    if (status == 200) {
      Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
      log.info(
          "Image "
              + request.image()
              + " exists in registry "
              + reference.getRegistry()
              + digest.map(value -> " (digest " + value + ")").orElse(""));
      return digest;
    }
    throw switch (status) {
      case 404 -> failures.notFound();
      case 401 -> failures.unauthorized(request.credentialsIfAny());
      case 403 -> failures.forbidden();
      default -> failures.unexpectedStatus(status, endpoint.uri(path));
    };
  }

  /**
   * Sends the anonymous HEAD over verified HTTPS and, when insecure registries are allowed and that
   * fails in the TLS handshake, over HTTPS without certificate verification and then plain HTTP.
   */
  private Connected connect(
      String registry, String path, ManifestCheckRequest request, ManifestCheckFailures failures)
      throws ImageBuildException, InterruptedException {
    SSLContext trust = RegistryTrust.context(request.caFiles());
    RegistryEndpoint verified = RegistryEndpoint.verifiedHttps(registry, trust, request);
    try {
      return new Connected(verified, verified.headOrTlsFailure(path, null, failures));
    } catch (SSLException e) {
      if (!request.allowInsecureRegistries()) {
        throw failures.tls(e);
      }
      log.debug("Verified HTTPS to registry " + registry + " failed (" + e + ")");
      if (ManifestCheckFailures.isCertificateProblem(e)) {
        RegistryEndpoint unverified = RegistryEndpoint.unverifiedHttps(registry, request);
        try {
          return new Connected(unverified, unverified.headOrTlsFailure(path, null, failures));
        } catch (SSLException again) {
          log.debug("HTTPS to registry " + registry + " failed (" + again + ")");
        }
      }
      log.debug("Trying plain HTTP to registry " + registry);
      RegistryEndpoint plain = RegistryEndpoint.plainHttp(registry, trust, request);
      return new Connected(plain, plain.head(path, null, failures));
    }
  }

  private HttpResponse<Void> authenticate(
      RegistryEndpoint endpoint,
      String path,
      HttpResponse<Void> challengeResponse,
      ImageReference reference,
      ManifestCheckRequest request,
      ManifestCheckFailures failures)
      throws ImageBuildException, InterruptedException {
    Optional<RegistryCredentials> credentials = request.credentialsIfAny();
    if (credentials.isPresent()
        && endpoint.plainHttp()
        && !JibSystemProperties.sendCredentialsOverHttp()) {
      throw failures.credentialsOverHttp();
    }
    RegistryChallenge challenge =
        RegistryChallenge.parse(
            challengeResponse.headers().firstValue("WWW-Authenticate").orElse(""));
    credentials.ifPresent(
        found ->
            log.debug(
                "Registry "
                    + reference.getRegistry()
                    + " asks for "
                    + challenge.scheme()
                    + " authentication; using the credentials of user "
                    + found.username()
                    + " from "
                    + found.source()));
    if (challenge.isBearer()) {
      String scope = "repository:" + reference.getRepository() + ":pull";
      String token = endpoint.bearerToken(challenge, scope, credentials, failures);
      return endpoint.head(path, "Bearer " + token, failures);
    }
    if (credentials.isEmpty()) {
      return challengeResponse;
    }
    return endpoint.head(path, RegistryEndpoint.basic(credentials.get()), failures);
  }

  /** The endpoint that served the anonymous request, and its response. */
  private record Connected(RegistryEndpoint endpoint, HttpResponse<Void> response) {}

  private static ImageReference parse(String image) throws ImageBuildException {
    try {
      return ImageReference.parse(image);
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuildException(
          Reason.INVALID_REFERENCE,
          "Invalid image reference '"
              + image
              + "': expected [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST], for example"
              + " 127.0.0.1:5000/library/version-test:v2. Fix -Dcanary.image or <image>.",
          e);
    }
  }
}
