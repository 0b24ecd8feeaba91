package io.github.stscanary.canary.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One way of reaching a registry's API for the manifest check: verified HTTPS, HTTPS without
 * certificate verification, or plain HTTP.
 */
final class RegistryEndpoint {

  /** Manifest types a deploy may name: single-platform images and multi-platform indexes. */
  private static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final HttpClient client;
  private final String scheme;
  private final String registry;
  private final Duration timeout;

  private RegistryEndpoint(HttpClient client, String scheme, String registry, Duration timeout) {
    this.client = client;
    this.scheme = scheme;
    this.registry = registry;
    this.timeout = timeout;
  }

  static RegistryEndpoint verifiedHttps(
      String registry, SSLContext context, ManifestCheckRequest request) {
    return new RegistryEndpoint(client(context, request), "https", registry, request.timeout());
  }

  static RegistryEndpoint unverifiedHttps(String registry, ManifestCheckRequest request) {
    return new RegistryEndpoint(
        client(trustingEveryCertificate(), request), "https", registry, request.timeout());
  }

  /** Returns plain HTTP; {@code context} serves a token server that the registry names. */
  static RegistryEndpoint plainHttp(
      String registry, SSLContext context, ManifestCheckRequest request) {
    return new RegistryEndpoint(client(context, request), "http", registry, request.timeout());
  }

  boolean plainHttp() {
    return "http".equals(scheme);
  }

  URI uri(String path) {
    return URI.create(scheme + "://" + registry + path);
  }

  /**
   * Sends {@code HEAD path}. A failed TLS handshake propagates as {@link SSLException}, so that the
   * caller may fall back to a less secure endpoint; other I/O failures become user errors.
   *
   * @param authorization value of the {@code Authorization} header, or null to send none
   */
  HttpResponse<Void> headOrTlsFailure(
      String path, String authorization, ManifestCheckFailures failures)
      throws SSLException, ImageBuildException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(timeout)
            .header("Accept", ACCEPT)
            .method("HEAD", HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request.build(), HttpResponse.BodyHandlers.discarding(), failures);
  }

  /** Sends {@code HEAD path}, turning every I/O failure into a user error. */
  HttpResponse<Void> head(String path, String authorization, ManifestCheckFailures failures)
      throws ImageBuildException, InterruptedException {
    try {
      return headOrTlsFailure(path, authorization, failures);
    } catch (SSLException e) {
      throw failures.tls(e);
    }
  }

  /**
   * Asks the token server named in a bearer challenge for a pull token, with the credentials if
   * there are any (anonymous tokens serve public repositories).
   */
  String bearerToken(
      RegistryChallenge challenge,
      String scope,
      Optional<RegistryCredentials> credentials,
      ManifestCheckFailures failures)
      throws ImageBuildException, InterruptedException {
    String realm =
        challenge.parameter("realm").orElseThrow(() -> failures.challengeWithoutRealm(challenge));
    StringBuilder query = new StringBuilder("?scope=").append(encode(scope));
    challenge
        .parameter("service")
        .ifPresent(service -> query.append("&service=").append(encode(service)));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(realm + query)).timeout(timeout).GET();
    if (credentials.isPresent()) {
      request.header("Authorization", basic(credentials.get()));
    }
    HttpResponse<String> response;
    try {
      response = send(request.build(), HttpResponse.BodyHandlers.ofString(), failures);
    } catch (SSLException e) {
      throw failures.tls(e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw failures.unauthorized(credentials);
    }
    if (response.statusCode() != 200) {
      throw failures.unexpectedStatus(response.statusCode(), URI.create(realm));
    }
    try {
      TokenResponse token = MAPPER.readValue(response.body(), TokenResponse.class);
      return token.value().orElseThrow(() -> failures.tokenMissing(URI.create(realm)));
    } catch (JacksonException e) {
      throw failures.tokenMissing(URI.create(realm));
    }
  }

  static String basic(RegistryCredentials credentials) {
    String pair = credentials.username() + ":" + credentials.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private <T> HttpResponse<T> send(
      HttpRequest request, HttpResponse.BodyHandler<T> handler, ManifestCheckFailures failures)
      throws SSLException, ImageBuildException, InterruptedException {
    try {
      return client.send(request, handler);
    } catch (HttpTimeoutException e) {
      throw failures.timeout(e);
    } catch (IOException e) {
      Optional<SSLException> tls = ManifestCheckFailures.cause(e, SSLException.class);
      if (tls.isPresent()) {
        throw tls.get();
      }
      throw failures.unreachable(e);
    }
  }

  private static HttpClient client(SSLContext context, ManifestCheckRequest request) {
    // The proxy selector reads the proxy system properties at each request, so the settings.xml
    // proxies that ManifestCheck sets around the check apply.
    ProxySelector proxies = ProxySelector.getDefault();
    return HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(request.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .proxy(proxies == null ? HttpClient.Builder.NO_PROXY : proxies)
        .build();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Returns a context that accepts every server certificate and host name, for the insecure
   * fallback that the user opted into with {@code allowInsecureRegistries}. An {@link
   * X509ExtendedTrustManager} does the host name check itself, so this one skips that as well.
   */
  private static SSLContext trustingEveryCertificate() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Failed to create a TLS context", e);
    }
  }

  /** Accepts every certificate; used only after the user allowed insecure registries. */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(
        X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkServerTrusted(
        X509Certificate[] chain, String authType, java.net.Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** The token server's response. Docker Hub sends both fields, other servers one of them. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record TokenResponse(String token, @JsonProperty("access_token") String accessToken) {
    Optional<String> value() {
      if (token != null && !token.isBlank()) {
        return Optional.of(token);
      }
      return Optional.ofNullable(accessToken).filter(value -> !value.isBlank());
    }
  }
}
