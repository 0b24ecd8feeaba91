package io.github.stscanary.canary.verify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests a page at a URL with the JDK's HTTP client, without proxy and without following
 * redirects, over a new connection each time.
 *
 * <p>A kept-alive connection would reach the same pod every time, because kube-proxy picks the
 * backend of a NodePort or ClusterIP when the connection opens. java.net.http offers no per-client
 * switch for connection reuse, so each request gets a client of its own, as {@code curl} run in a
 * loop would.
 */
final class UrlClient implements PageClient {

  @Override
  public PageResponse get(String target, Duration timeout) throws InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(timeout).GET().build();
    CompletableFuture<HttpResponse<String>> future =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return PageResponse.response(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      return PageResponse.failure("timed out after " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return PageResponse.failure(Failures.rootMessage(e));
    } finally {
      close(client);
    }
  }

  // HttpClient implements AutoCloseable from Java 21 on. On Java 17 its selector thread ends once
  // the client is garbage collected.
  private static void close(HttpClient client) {
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // The response is complete, so a failure to release the client does not change it.
      }
    }
  }
}
