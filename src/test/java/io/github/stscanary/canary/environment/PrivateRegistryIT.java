package io.github.stscanary.canary.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the TLS registry with basic authentication: jib-core pushes with the test credentials and
 * the registry rejects requests without them.
 *
 * <p>jib-core 0.27.3 opens HTTPS connections with the JVM's default {@link SSLContext} and offers
 * no setting for a trust store. This class therefore replaces the default context with one that
 * trusts only the registry's CA, and restores the previous default afterwards. Outside tests,
 * {@code -Djavax.net.ssl.trustStore} achieves the same.
 */
class PrivateRegistryIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static SSLContext previousDefault;
  private static SSLContext registryTrust;

  @TempDir Path workDir;

  @BeforeAll
  static void trustRegistryCa() throws Exception {
    registryTrust = sslContextTrusting(environment.privateRegistryCa());
    previousDefault = SSLContext.getDefault();
    SSLContext.setDefault(registryTrust);
  }

  @AfterAll
  static void restoreDefaultTrust() {
    if (previousDefault != null) {
      SSLContext.setDefault(previousDefault);
    }
  }

  @Test
  void pushWithCredentialsStoresManifest() throws Exception {
    String reference = environment.privateRegistry() + "/stscanary/private-test:v1";
    RegistryImage target =
        RegistryImage.named(reference)
            .addCredential(
                environment.privateRegistryUsername(), environment.privateRegistryPassword());

    JibContainer container = push(target);

    assertThat(container.isImagePushed()).isTrue();
    HttpResponse<Void> manifest =
        send("/v2/stscanary/private-test/manifests/v1", basicAuthorization(), "HEAD");
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(manifest.headers().firstValue("Docker-Content-Digest"))
        .hasValue(container.getDigest().toString());
  }

  @Test
  void pushWithoutCredentialsIsUnauthorized() throws Exception {
    String reference = environment.privateRegistry() + "/stscanary/private-test:anonymous";

    RegistryUnauthorizedException rejection =
        catchThrowableOfType(
            RegistryUnauthorizedException.class, () -> push(RegistryImage.named(reference)));

    assertThat(rejection).as("exception of the push without credentials").isNotNull();
    assertThat(rejection.getHttpResponseException().getStatusCode()).isEqualTo(401);
  }

  @Test
  void apiWithoutCredentialsReturns401() throws Exception {
    HttpResponse<Void> response = send("/v2/", null, "GET");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic "));
  }

  @Test
  void apiWithCredentialsReturns200() throws Exception {
    HttpResponse<Void> response = send("/v2/", basicAuthorization(), "GET");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  private JibContainer push(RegistryImage target) throws Exception {
    Path versionFile = workDir.resolve("version.txt");
    Files.writeString(versionFile, "private\n", StandardCharsets.UTF_8);
    // Insecure registries stay disallowed, so the push fails unless the CA is trusted.
    return Jib.fromScratch()
        .addFileEntriesLayer(
            FileEntriesLayer.builder()
                .addEntry(versionFile, AbsoluteUnixPath.get("/version.txt"))
                .build())
        .containerize(
            Containerizer.to(target)
                .setAllowInsecureRegistries(false)
                .setBaseImageLayersCache(workDir.resolve("jib-cache"))
                .setApplicationLayersCache(workDir.resolve("jib-cache")));
  }

  private static HttpResponse<Void> send(String path, String authorization, String method)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(registryTrust).connectTimeout(TIMEOUT).build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://" + environment.privateRegistry() + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding());
  }

  private static String basicAuthorization() {
    String credentials =
        environment.privateRegistryUsername() + ":" + environment.privateRegistryPassword();
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static SSLContext sslContextTrusting(Path caFile) throws Exception {
    Certificate ca;
    try (InputStream in = Files.newInputStream(caFile)) {
      ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
    trustStore.load(null, null);
    trustStore.setCertificateEntry("stscanary-registry-ca", ca);
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trustStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }
}
