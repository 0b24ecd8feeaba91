package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tests the manifest check against a plain-HTTP registry imitation on 127.0.0.1, for the answers
 * the local test registries never give: bearer token authentication and server errors.
 */
class ManifestCheckTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  private final RecordingLog log = new RecordingLog();
  private FakeRegistry server;

  @AfterEach
  void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void bearerChallengeFetchesTokenAndFindsManifest() throws Exception {
    server =
        new FakeRegistry(
            request -> {
              if (request.path().startsWith("/token")) {
                return new Response(200, Map.of(), "{\"token\":\"pull-token\"}");
              }
              if ("Bearer pull-token".equals(request.authorization())) {
                return new Response(200, Map.of("Docker-Content-Digest", DIGEST), "");
              }
              return new Response(
                  401,
                  Map.of(
                      "WWW-Authenticate",
                      "Bearer realm=\"http://" + request.host() + "/token\",service=\"test\""),
                  "");
            });

    Optional<String> digest = new ManifestCheck(log).requireManifest(request("shop/web:v2", null));

    assertThat(digest).hasValue(DIGEST);
    assertThat(server.requests)
        .containsExactly(
            "HEAD /v2/shop/web/manifests/v2 without authorization",
            "GET /token?scope=repository%3Ashop%2Fweb%3Apull&service=test without authorization",
            "HEAD /v2/shop/web/manifests/v2 with Bearer");
  }

  @Test
  void missingManifestNamesTagAndSkipProperty() throws IOException {
    server = new FakeRegistry(request -> new Response(404, Map.of(), ""));

    ImageBuildException failure = check(request("shop/web:v9", null));

    assertThat(failure.reason()).isEqualTo(Reason.MANIFEST_NOT_FOUND);
    assertThat(failure.getMessage()).contains("has no manifest with tag v9 in repository shop/web");
    assertThat(failure.getMessage()).contains("-Dcanary.verifyImage=false");
  }

  @Test
  void serverErrorNamesStatusAndUrl() throws IOException {
    server = new FakeRegistry(request -> new Response(503, Map.of(), ""));

    ImageBuildException failure = check(request("shop/web:v1", null));

    assertThat(failure.reason()).isEqualTo(Reason.REGISTRY_ERROR);
    assertThat(failure.getMessage())
        .contains("returned HTTP 503 for http://" + server.address() + "/v2/shop/web/manifests/v1");
  }

  @Test
  void credentialsNotSentOverPlainHttp() throws IOException {
    server =
        new FakeRegistry(
            request -> new Response(401, Map.of("WWW-Authenticate", "Basic realm=\"test\""), ""));
    RegistryCredentials credentials = new RegistryCredentials("dev", "secret", "test");

    ImageBuildException failure = check(request("shop/web:v1", credentials));

    assertThat(failure.reason()).isEqualTo(Reason.INSECURE_CONNECTION);
    assertThat(failure.getMessage()).contains("credentials are not sent unencrypted");
    assertThat(server.requests).noneMatch(line -> line.endsWith("with Basic"));
  }

  @Test
  void plainHttpRejectedWithoutInsecureOptIn() throws IOException {
    server = new FakeRegistry(request -> new Response(200, Map.of(), ""));

    ImageBuildException failure =
        check(
            new ManifestCheckRequest(
                server.address() + "/shop/web:v1",
                null,
                List.of(),
                false,
                false,
                Map.of(),
                Duration.ofSeconds(5)));

    assertThat(failure.reason()).isEqualTo(Reason.INSECURE_CONNECTION);
    assertThat(failure.getMessage())
        .contains("<allowInsecureRegistries>true</allowInsecureRegistries>");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void offlineFailsBeforeAnyRequest() throws IOException {
    server = new FakeRegistry(request -> new Response(200, Map.of(), ""));

    ImageBuildException failure =
        check(
            new ManifestCheckRequest(
                server.address() + "/shop/web:v1",
                null,
                List.of(),
                true,
                true,
                Map.of(),
                Duration.ofSeconds(5)));

    assertThat(failure.reason()).isEqualTo(Reason.OFFLINE);
    assertThat(server.requests).isEmpty();
  }

  private ImageBuildException check(ManifestCheckRequest request) {
    return catchThrowableOfType(
        ImageBuildException.class, () -> new ManifestCheck(log).requireManifest(request));
  }

  private ManifestCheckRequest request(String repositoryAndTag, RegistryCredentials credentials) {
    return new ManifestCheckRequest(
        server.address() + "/" + repositoryAndTag,
        credentials,
        List.of(),
        true,
        false,
        Map.of(),
        Duration.ofSeconds(5));
  }

  /** One request as the imitation received it. */
  private record Request(String method, String path, String host, String authorization) {}

  private record Response(int status, Map<String, String> headers, String body) {}

  /**
   * A registry imitation that answers one HTTP/1.1 request per connection and records each as
   * {@code METHOD PATH with SCHEME}. Like Go's HTTP server behind docker-registry, it rejects a TLS
   * handshake at once: the JDK's HttpServer would wait for more bytes instead, so the check's
   * verified HTTPS attempt would time out.
   */
  private static final class FakeRegistry implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final Function<Request, Response> handler;

    FakeRegistry(Function<Request, Response> handler) throws IOException {
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.handler = handler;
      Thread thread = new Thread(this::serve, "fake-registry");
      thread.setDaemon(true);
      thread.start();
    }

    String address() {
      return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          answer(connection);
        } catch (IOException e) {
          // The client went away, or close() closed the socket.
        }
      }
    }

    private void answer(Socket connection) throws IOException {
      InputStream in = connection.getInputStream();
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      reader.mark(1);
      int first = reader.read();
      if (first == 0x16) {
        // A TLS handshake record: close, as a plain-HTTP server that rejects it does.
        return;
      }
      reader.reset();
      String[] requestLine = reader.readLine().split(" ");
      Map<String, String> headers = new HashMap<>();
      for (String line = reader.readLine(); line != null && !line.isEmpty(); ) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
        line = reader.readLine();
      }
      String authorization = headers.get("authorization");
      requests.add(
          requestLine[0]
              + " "
              + requestLine[1]
              + (authorization == null
                  ? " without authorization"
                  : " with " + authorization.split(" ")[0]));
      Response response =
          handler.apply(
              new Request(requestLine[0], requestLine[1], headers.get("host"), authorization));
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      StringBuilder head =
          new StringBuilder("HTTP/1.1 ")
              .append(response.status())
              .append(" Status\r\nConnection: close\r\nContent-Length: ")
              .append(body.length)
              .append("\r\n");
      response
          .headers()
          .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      head.append("\r\n");
      OutputStream out = connection.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (!"HEAD".equals(requestLine[0])) {
        out.write(body);
      }
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
