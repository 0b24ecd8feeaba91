package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Turns API errors into messages that name the request and the fix. */
public final class KubeErrors {

  private KubeErrors() {}

  /**
   * Returns an exception for a failed request of {@code verb} on {@code resource} in {@code
   * namespace}, with the API server's own reason kept.
   */
  public static ClusterAccessException translate(
      KubernetesClientException e, String verb, String resource, String namespace) {
    String request = verb + " " + resource + " in namespace " + namespace;
    String status = e.getStatus() == null ? null : e.getStatus().getMessage();
    String reason = status == null ? transportMessage(e) : status;
    switch (e.getCode()) {
      case HttpURLConnection.HTTP_UNAUTHORIZED:
        return new ClusterAccessException(
            "Unauthorized to "
                + request
                + ": the kubeconfig's token or client certificate is invalid or expired. Renew"
                + " the credentials (for example 'kubectl create token') and retry.",
            e);
      case HttpURLConnection.HTTP_FORBIDDEN:
        return new ClusterAccessException(
            "Forbidden to "
                + request
                + ": "
                + reason
                + ". Grant the verb with a Role in that namespace, or use a kubeconfig that has"
                + " it (-Dcanary.kubeconfig, -Dcanary.context).",
            e);
      case HttpURLConnection.HTTP_NOT_FOUND:
        return new ClusterAccessException(
            "Failed to "
                + request
                + ": "
                + reason
                + ". Check -Dcanary.namespace and the kubeconfig context ('kubectl get"
                + " namespaces'), or create the namespace with canary:apply.",
            e);
      case -1:
      case 0:
        // fabric8 reports a request that got no HTTP response with code -1 (0 in older versions).
        return new ClusterAccessException(
            "Failed to "
                + request
                + ": the API server is unreachable ("
                + reason
                + "). Check that the cluster is running and that the kubeconfig names it"
                + " (-Dcanary.kubeconfig, -Dcanary.context).",
            e);
      default:
        return new ClusterAccessException(
            "Failed to " + request + ": HTTP " + e.getCode() + ": " + reason, e);
    }
  }

  /**
   * Returns the most telling message of a request that got no HTTP response: that of the first
   * connection, timeout or TLS error in the cause chain, else that of the deepest cause. The JDK
   * HTTP client wraps a refused connection as a ConnectException around a ClosedChannelException
   * without a message, so the deepest cause alone would read "null".
   */
  static String transportMessage(Throwable e) {
    return knownTransportFailure(e).map(KubeErrors::describe).orElseGet(() -> deepest(e));
  }

  /** Returns the first connection, timeout or TLS error in the cause chain of {@code e}. */
  static Optional<Throwable> knownTransportFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || cause instanceof HttpTimeoutException
          || cause instanceof SSLException
          || cause instanceof CertificateException) {
        return Optional.of(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Returns whether {@code type} is in the cause chain of {@code e}. */
  static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static String deepest(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return describe(cause);
  }

  private static String describe(Throwable cause) {
    String name = cause instanceof IOException ? cause.getClass().getSimpleName() + ": " : "";
    String message = cause.getMessage();
    if (message == null && cause instanceof ConnectException) {
      // The JDK HTTP client reports a refused connection without a message.
      return "ConnectException: connection refused or closed";
    }
    if (message == null) {
      return cause.getClass().getSimpleName();
    }
    int lineEnd = message.indexOf('\n');
    return name + (lineEnd < 0 ? message : message.substring(0, lineEnd));
  }
}
