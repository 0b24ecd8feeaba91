package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Translates jib-core and network exceptions into {@link ImageBuildException}s that name the
 * setting to fix.
 */
final class RegistryFailures {

  private static final Pattern URL_AUTHORITY = Pattern.compile("https?://([^/\\s]+)");

  private final ImageBuildRequest request;
  private final ImageReference target;

  RegistryFailures(ImageBuildRequest request, ImageReference target) {
    this.request = request;
    this.target = target;
  }

  /**
   * Returns the user-facing exception for {@code failure}.
   *
   * @throws IOException if {@code failure} is an I/O error of no known kind, which is unexpected
   * @throws RuntimeException if {@code failure} is one, unchanged
   */
  ImageBuildException translate(Throwable failure) throws IOException {
    Optional<ImageBuildException> known = classify(failure, null);
    if (known.isPresent()) {
      return known.get();
    }
    if (failure instanceof RegistryException) {
      return new ImageBuildException(
          Reason.REGISTRY_ERROR,
          "Failed to build or push " + target + ": " + failure.getMessage(),
          failure);
    }
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new IOException("Failed to build or push " + target + ": " + failure, failure);
  }

  /**
   * Returns the user-facing exception for {@code failure}, or empty when it is of no known kind.
   * Messages name {@code registry}, or when that is null, the host of the URL in the failure.
   */
  Optional<ImageBuildException> classify(Throwable failure, String registry) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RegistryUnauthorizedException unauthorized) {
        return Optional.of(unauthorized(unauthorized));
      }
      if (cause instanceof RegistryAuthenticationFailedException authentication) {
        return Optional.of(authenticationFailed(authentication));
      }
      if (cause instanceof InsecureRegistryException || cause instanceof SSLException) {
        return Optional.of(tlsFailure(failure, registryOrFromMessage(registry, failure)));
      }
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException) {
        return Optional.of(unreachable(cause, registryOrFromMessage(registry, failure)));
      }
      if (cause instanceof RegistryException registryFailure && isBaseNotFound(registryFailure)) {
        return Optional.of(baseNotFound(registryFailure));
      }
    }
    return Optional.empty();
  }

  private ImageBuildException unauthorized(RegistryUnauthorizedException e) {
    String repository = e.getImageReference();
    int status = statusCode(e).orElse(401);
    Optional<RegistryCredentials> sent = credentialsFor(repository);
    String verdict;
    if (status == 403) {
      verdict =
          " denied access to "
              + repository
              + " (HTTP 403 Forbidden): the user may lack permission for this repository.";
    } else if (sent.isPresent()) {
      verdict =
          " rejected the credentials of user "
              + sent.get().username()
              + " from "
              + sent.get().source()
              + " for "
              + repository
              + " (HTTP "
              + status
              + " Unauthorized).";
    } else {
      verdict =
          " requires authentication for "
              + repository
              + " (HTTP "
              + status
              + " Unauthorized), and no credentials were found for it.";
    }
    return new ImageBuildException(
        Reason.UNAUTHORIZED,
        "Registry " + registryOf(repository) + verdict + " " + credentialHint(repository),
        e);
  }

  private ImageBuildException authenticationFailed(RegistryAuthenticationFailedException e) {
    String repository = e.getImageName();
    return new ImageBuildException(
        Reason.UNAUTHORIZED,
        "Authentication with registry "
            + registryOf(repository)
            + " failed for "
            + repository
            + " (token server "
            + e.getServerUrl()
            + "): "
            + e.getMessage()
            + ". "
            + credentialHint(repository),
        e);
  }

  private Optional<RegistryCredentials> credentialsFor(String repository) {
    return isTarget(repository) ? request.targetCredentials() : request.baseCredentials();
  }

  private boolean isTarget(String repository) {
    return repository.equals(target.getRegistry() + "/" + target.getRepository());
  }

  private String credentialHint(String repository) {
    String registry = registryOf(repository);
    String parameters =
        isTarget(repository)
            ? "<username>/<password> (-Dcanary.username/-Dcanary.password)"
            : "<fromUsername>/<fromPassword> (-Dcanary.fromUsername/-Dcanary.fromPassword)";
    return "Set "
        + parameters
        + ", a settings.xml <server> with <id>"
        + registry
        + "</id>, or run docker login "
        + registry
        + " to store them in ~/.docker/config.json.";
  }

  private ImageBuildException tlsFailure(Throwable failure, String registry) {
    if (hasCause(failure, CertPathBuilderException.class)
        || hasCause(failure, CertificateException.class)
        || hasCause(failure, SSLPeerUnverifiedException.class)) {
      return new ImageBuildException(
          Reason.UNTRUSTED_CERTIFICATE,
          "The TLS certificate of registry "
              + registry
              + " is not trusted ("
              + rootMessage(failure)
              + "). Set <caFile> (-Dcanary.caFile) to the PEM file of the CA that signed it, or opt"
              + " into <allowInsecureRegistries>true</allowInsecureRegistries>"
              + " (-Dcanary.allowInsecureRegistries=true) to skip certificate verification.",
          failure);
    }
    String detail =
        hasCause(failure, SSLHandshakeException.class)
            ? "the TLS handshake failed"
            : "it does not answer HTTPS and may serve plain HTTP";
    return new ImageBuildException(
        Reason.INSECURE_CONNECTION,
        "Cannot reach registry "
            + registry
            + " over verified HTTPS: "
            + detail
            + " ("
            + rootMessage(failure)
            + "). For a plain-HTTP registry, such as a local development one, opt into"
            + " <allowInsecureRegistries>true</allowInsecureRegistries>"
            + " (-Dcanary.allowInsecureRegistries=true).",
        failure);
  }

  private ImageBuildException unreachable(Throwable cause, String registry) {
    return new ImageBuildException(
        Reason.UNREACHABLE,
        "Registry "
            + registry
            + " is unreachable ("
            + cause.getMessage()
            + "). Check that it is running and that the host and port in <image> or <from> are"
            + " right. Behind a proxy, configure it in settings.xml <proxies>.",
        cause);
  }

  private boolean isBaseNotFound(RegistryException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("Tried to pull image manifest") && statusCode(e).orElse(0) == 404;
  }

  private ImageBuildException baseNotFound(RegistryException e) {
    return new ImageBuildException(
        Reason.BASE_IMAGE_NOT_FOUND,
        "Base image "
            + request.from()
            + " not found ("
            + e.getMessage()
            + "). Check the repository and tag in <from> (-Dcanary.from).",
        e);
  }

  private String registryOrFromMessage(String registry, Throwable failure) {
    if (registry != null) {
      return registry;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      Matcher matcher = URL_AUTHORITY.matcher(String.valueOf(cause.getMessage()));
      if (matcher.find()) {
        return matcher.group(1);
      }
    }
    // Apache HttpClient names only host and port: "Connect to 127.0.0.1:5000 [/127.0.0.1] failed".
    Set<String> registries = new LinkedHashSet<>();
    registries.add(target.getRegistry());
    ImageReferences.registryOf(request.from()).ifPresent(registries::add);
    for (String candidate : registries) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        if (String.valueOf(cause.getMessage()).contains(candidate)) {
          return candidate;
        }
      }
    }
    if (registries.size() == 1) {
      return target.getRegistry();
    }
    return "of " + target + " or " + request.from();
  }

  private static String registryOf(String repository) {
    int slash = repository.indexOf('/');
    return slash < 0 ? repository : repository.substring(0, slash);
  }

  private static Optional<Integer> statusCode(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ResponseException response) {
        return Optional.of(response.getStatusCode());
      }
    }
    return Optional.empty();
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null) {
      return root.getClass().getSimpleName();
    }
    int firstLineEnd = message.indexOf('\n');
    return firstLineEnd < 0 ? message : message.substring(0, firstLineEnd);
  }
}
