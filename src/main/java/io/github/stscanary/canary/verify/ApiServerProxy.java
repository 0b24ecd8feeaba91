package io.github.stscanary.canary.verify;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests pages through the API server's proxy subresources of pods and Services, with the
 * kubeconfig's credentials and TLS settings.
 */
final class ApiServerProxy implements PageClient {

  private final HttpClient http;
  private final String masterUrl;
  private final KubernetesSerialization serialization;

  /**
   * Derives an HTTP client from {@code client}'s. The derived client does not retry: fabric8
   * retries responses of 429 and 500 or above with a backoff by default, which would repeat a
   * broken pod's 500 for seconds and hide the first response.
   */
  ApiServerProxy(KubernetesClient client) {
    RequestConfig noRetries =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestRetryBackoffLimit(0)
            .build();
    this.http = client.getHttpClient().newBuilder().tag(noRetries).build();
    String url = client.getMasterUrl().toString();
    this.masterUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.serialization = client.getKubernetesSerialization();
  }

  /** Returns the API path of {@code path} on {@code port} of a pod, through the pod proxy. */
  static String podPath(String namespace, String pod, int port, String path) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + pod + ":" + port + "/proxy" + path;
  }

  /** Returns the API path of {@code path} on {@code port} of a Service, through its proxy. */
  static String servicePath(String namespace, String service, int port, String path) {
    return "/api/v1/namespaces/"
        + namespace
        + "/services/"
        + service
        + ":"
        + port
        + "/proxy"
        + path;
  }

  @Override
  public PageResponse get(String target, Duration timeout) throws InterruptedException {
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(masterUrl + target)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, String.class);
    try {
      HttpResponse<String> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return PageResponse.response(response.code(), bodyOf(response));
    } catch (TimeoutException e) {
      future.cancel(true);
      return PageResponse.failure("timed out after " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return PageResponse.failure(Failures.rootMessage(e));
    }
  }

  // The API server sends its own response when it cannot reach the pod, a Status object whose
  // message says why (for example "error trying to reach service: dial tcp ...: connect:
  // connection refused"). Its message is shorter and clearer in the pod table than the JSON.
  private String bodyOf(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body();
    if (response.isSuccessful() || !body.contains("\"Status\"")) {
      return body;
    }
    try {
      Status status = serialization.unmarshal(body, Status.class);
      if ("Status".equals(status.getKind()) && status.getMessage() != null) {
        return "API server: " + status.getMessage();
      }
    } catch (RuntimeException e) {
      // Not a Status object after all: the pod's own body is kept.
    }
    return body;
  }
}
