package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs {@link UrlClient} against HTTP servers on the loopback address. */
class UrlClientTest {

  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.createContext(
        "/version.html",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          byte[] body = "This is V2\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void eachRequestOpensNewConnection() throws InterruptedException {
    UrlClient client = new UrlClient();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/version.html";

    for (int index = 0; index < 5; index++) {
      PageResponse response = client.get(url, Duration.ofSeconds(10));
      assertThat(response.body()).as("body of request " + index).isEqualTo("This is V2\n");
    }

    assertThat(clientPorts).as("client ports of 5 requests").hasSize(5);
  }

  @Test
  void missingPageReturnsStatus() throws InterruptedException {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/missing.html";

    PageResponse response = new UrlClient().get(url, Duration.ofSeconds(10));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.successful()).isFalse();
  }

  @Test
  void silentServerTimesOut() throws Exception {
    // Accepts the connection into the backlog, but never reads the request or responds.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/version.html";
      long start = System.nanoTime();

      PageResponse response = new UrlClient().get(url, Duration.ofMillis(500));

      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertThat(response.error()).isNotNull();
      assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
    }
  }
}
