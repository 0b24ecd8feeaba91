package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;

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
    String reason = status == null ? rootMessage(e) : status;
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
            "Failed to " + request + ": the API server is unreachable (" + reason + ").", e);
      default:
        return new ClusterAccessException(
            "Failed to " + request + ": HTTP " + e.getCode() + ": " + reason, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String name = cause instanceof IOException ? cause.getClass().getSimpleName() + ": " : "";
    return name + cause.getMessage();
  }
}
