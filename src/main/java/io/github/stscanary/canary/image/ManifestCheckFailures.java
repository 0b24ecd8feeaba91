package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.ImageReference;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Messages of a failed manifest check. Each names the image or registry, the cause, the setting to
 * fix, and how to skip the check.
 */
final class ManifestCheckFailures {

  static final String SKIP_HINT =
      " To deploy without this check, set -Dcanary.verifyImage=false"
          + " (<verifyImage>false</verifyImage>).";

  private final ManifestCheckRequest request;
  private final ImageReference reference;

  ManifestCheckFailures(ManifestCheckRequest request, ImageReference reference) {
    this.request = request;
    this.reference = reference;
  }

  ImageBuildException offline() {
    return new ImageBuildException(
        Reason.OFFLINE,
        "Cannot check that image "
            + request.image()
            + " exists in registry "
            + reference.getRegistry()
            + " in offline mode. Run Maven without -o (--offline)."
            + SKIP_HINT);
  }

  ImageBuildException notFound() {
    String qualifier =
        reference.getDigest().isPresent()
            ? "digest " + reference.getDigest().get()
            : "tag " + reference.getQualifier();
    return new ImageBuildException(
        Reason.MANIFEST_NOT_FOUND,
        "Image "
            + request.image()
            + " not found: registry "
            + reference.getRegistry()
            + " has no manifest with "
            + qualifier
            + " in repository "
            + reference.getRepository()
            + " (HTTP 404). Push it first (mvn canary:build), or fix -Dcanary.image."
            + SKIP_HINT);
  }

  ImageBuildException unauthorized(Optional<RegistryCredentials> credentials) {
    String verdict =
        credentials
            .map(
                sent ->
                    " rejected the credentials of user "
                        + sent.username()
                        + " from "
                        + sent.source()
                        + " for repository "
                        + reference.getRepository()
                        + " (HTTP 401 Unauthorized).")
            .orElse(
                " requires authentication for repository "
                    + reference.getRepository()
                    + " (HTTP 401 Unauthorized), and no credentials were found for it.");
    return new ImageBuildException(
        Reason.UNAUTHORIZED,
        "Registry " + reference.getRegistry() + verdict + " " + credentialHint() + SKIP_HINT);
  }

  ImageBuildException forbidden() {
    return new ImageBuildException(
        Reason.UNAUTHORIZED,
        "Registry "
            + reference.getRegistry()
            + " denied access to repository "
            + reference.getRepository()
            + " (HTTP 403 Forbidden): the user may lack pull permission for it. "
            + credentialHint()
            + SKIP_HINT);
  }

  ImageBuildException credentialsOverHttp() {
    return new ImageBuildException(
        Reason.INSECURE_CONNECTION,
        "Registry "
            + reference.getRegistry()
            + " asks for credentials, but it answers only plain HTTP, and credentials are not"
            + " sent unencrypted. Serve it over HTTPS (with <caFile> for a private CA), or allow"
            + " sending them with -DsendCredentialsOverHttp=true as for jib."
            + SKIP_HINT);
  }

  ImageBuildException unexpectedStatus(int status, URI uri) {
    return new ImageBuildException(
        Reason.REGISTRY_ERROR,
        "Registry "
            + reference.getRegistry()
            + " returned HTTP "
            + status
            + " for "
            + uri
            + " while checking that image "
            + request.image()
            + " exists. Check the registry's log."
            + SKIP_HINT);
  }

  ImageBuildException challengeWithoutRealm(RegistryChallenge challenge) {
    return new ImageBuildException(
        Reason.REGISTRY_ERROR,
        "Registry "
            + reference.getRegistry()
            + " asked for "
            + challenge.scheme()
            + " authentication without naming a token server (realm)."
            + SKIP_HINT);
  }

  ImageBuildException tokenMissing(URI realm) {
    return new ImageBuildException(
        Reason.REGISTRY_ERROR,
        "Token server "
            + realm
            + " of registry "
            + reference.getRegistry()
            + " returned no token."
            + SKIP_HINT);
  }

  ImageBuildException tls(SSLException e) {
    if (isCertificateProblem(e)) {
      return new ImageBuildException(
          Reason.UNTRUSTED_CERTIFICATE,
          "The TLS certificate of registry "
              + reference.getRegistry()
              + " is not trusted ("
              + firstLine(e)
              + "). Set <caFile> (-Dcanary.caFile) to the PEM file of the CA that signed it, or opt"
              + " into <allowInsecureRegistries>true</allowInsecureRegistries>"
              + " (-Dcanary.allowInsecureRegistries=true) to skip certificate verification."
              + SKIP_HINT,
          e);
    }
    return new ImageBuildException(
        Reason.INSECURE_CONNECTION,
        "Cannot reach registry "
            + reference.getRegistry()
            + " over verified HTTPS: the TLS handshake failed, and it may serve plain HTTP ("
            + firstLine(e)
            + "). For a plain-HTTP registry, such as a local development one, opt into"
            + " <allowInsecureRegistries>true</allowInsecureRegistries>"
            + " (-Dcanary.allowInsecureRegistries=true)."
            + SKIP_HINT,
        e);
  }

  ImageBuildException timeout(HttpTimeoutException e) {
    return new ImageBuildException(
        Reason.UNREACHABLE,
        "Request to registry "
            + reference.getRegistry()
            + " timed out after "
            + request.timeout().toSeconds()
            + " s while checking that image "
            + request.image()
            + " exists ("
            + firstLine(e)
            + "). Check that it is running, or raise -Dcanary.requestTimeout."
            + SKIP_HINT,
        e);
  }

  ImageBuildException unreachable(IOException e) {
    return new ImageBuildException(
        Reason.UNREACHABLE,
        "Registry "
            + reference.getRegistry()
            + " is unreachable while checking that image "
            + request.image()
            + " exists ("
            + firstLine(e)
            + "). Check that it is running and that the host and port in -Dcanary.image are"
            + " right. Behind a proxy, configure it in settings.xml <proxies>."
            + SKIP_HINT,
        e);
  }

  /** Returns whether the TLS failure is about the certificate, not about TLS itself. */
  static boolean isCertificateProblem(Throwable e) {
    return cause(e, CertPathBuilderException.class).isPresent()
        || cause(e, CertificateException.class).isPresent()
        || cause(e, SSLPeerUnverifiedException.class).isPresent();
  }

  static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return Optional.of(type.cast(cause));
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Returns the first line of the class and message of the first cause that has a message. */
  private static String firstLine(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !message.isBlank()) {
        int end = message.indexOf('\n');
        return cause.getClass().getSimpleName()
            + ": "
            + (end < 0 ? message : message.substring(0, end));
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return e.getClass().getSimpleName();
  }

  private String credentialHint() {
    String registry = reference.getRegistry();
    return "Set <username>/<password> (-Dcanary.username/-Dcanary.password), a settings.xml"
        + " <server> with <id>"
        + registry
        + "</id>, or run docker login "
        + registry
        + " to store them in ~/.docker/config.json.";
  }
}
