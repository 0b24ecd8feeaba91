package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds and pushes images with {@link ImageBuilder} to the plain-HTTP local registry and the TLS
 * registry with basic authentication, then checks tags, digests and layers through the registry
 * API.
 */
class ImageBuildIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String MANIFEST_TYPES =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + " application/vnd.oci.image.manifest.v1+json";
  private static final JsonMapper JSON = new JsonMapper();

  /** Keeps repositories of separate runs apart in the shared registries. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @TempDir static Path cache;
  @TempDir Path workDir;

  private final RecordingLog log = new RecordingLog();

  @BeforeAll
  static void initializeDefaultTlsContext() throws Exception {
    // Maven has usually created the default context before a plugin runs. Creating it here too
    // shows that a CA file works even when the JVM has already read its trust store.
    SSLContext.getDefault().getSocketFactory();
  }

  @Test
  void v1AndV2FromScratchAreTagged() throws Exception {
    String repository = "library/version-test-" + RUN;

    ImageBuildResult v1 = build(localRequest(repository, "v1", content("This is V1")));
    ImageBuildResult v2 = build(localRequest(repository, "v2", content("This is V2")));

    assertThat(localTags(repository)).contains("v1", "v2");
    assertThat(manifestDigest(localUri(repository, "v1"), null)).isEqualTo(v1.digest());
    assertThat(manifestDigest(localUri(repository, "v2"), null)).isEqualTo(v2.digest());
    assertThat(v1.digest()).isNotEqualTo(v2.digest());
    assertThat(v1.image()).isEqualTo(environment.localRegistry() + "/" + repository + ":v1");
  }

  @Test
  void recordOfPushedImageReadsBack() throws Exception {
    String repository = "library/record-test-" + RUN;
    ImageBuildResult result = build(localRequest(repository, "v1", content("This is V1")));
    Path recordFile = workDir.resolve("target/canary/image.json");

    result.toRecord().write(recordFile);

    ImageRecord record = ImageRecord.read(recordFile);
    assertThat(record.image()).isEqualTo(environment.localRegistry() + "/" + repository + ":v1");
    assertThat(record.digest()).isEqualTo(manifestDigest(localUri(repository, "v1"), null));
    assertThat(record.tags()).containsExactly("v1");
  }

  @Test
  void extraTagsPointAtSameManifest() throws Exception {
    String repository = "library/extra-tags-test-" + RUN;
    ImageBuildRequest request =
        localRequestBuilder(repository, "1.0.0", content("This is V1"))
            .extraTags(List.of("latest", "stable"))
            .build();

    ImageBuildResult result = build(request);

    assertThat(result.tags()).containsExactly("1.0.0", "latest", "stable");
    assertThat(localTags(repository)).contains("1.0.0", "latest", "stable");
    assertThat(manifestDigest(localUri(repository, "stable"), null)).isEqualTo(result.digest());
  }

  @Test
  void identicalContentGivesIdenticalDigest() throws Exception {
    String repository = "library/reproducible-test-" + RUN;
    ImageBuildResult first = build(localRequest(repository, "first", content("This is V1")));

    ImageBuildResult second = build(localRequest(repository, "second", content("This is V1")));

    assertThat(second.digest()).isEqualTo(first.digest());
  }

  @Test
  void v2SharesAllButContentLayerWithV1() throws Exception {
    String baseRepository = "library/base-" + RUN;
    ImageBuildResult base =
        build(
            localRequestBuilder(baseRepository, "1", content("base file"))
                .targetDirectory("/etc/base")
                .build());
    String repository = "library/layered-test-" + RUN;
    String from = base.image();

    build(localRequestBuilder(repository, "v1", content("This is V1")).from(from).build());
    ImageBuildResult v2 =
        build(localRequestBuilder(repository, "v2", content("This is V2")).from(from).build());

    List<String> v1Layers = layerDigests(localUri(repository, "v1"), null);
    List<String> v2Layers = layerDigests(localUri(repository, "v2"), null);
    assertThat(v1Layers).hasSize(2);
    assertThat(v2Layers).hasSize(2);
    assertThat(v2Layers.get(0)).isEqualTo(v1Layers.get(0));
    assertThat(v2Layers.get(1)).isNotEqualTo(v1Layers.get(1));
    assertThat(v2.reusedBlobs()).as("blobs the registry already had").isGreaterThanOrEqualTo(1);
  }

  @Test
  void tarBaseAddsContentOnTop() throws Exception {
    Path baseTar = workDir.resolve("base.tar");
    Jib.fromScratch()
        .addLayer(
            List.of(content("base file").resolve("version.html")), AbsoluteUnixPath.get("/etc"))
        .containerize(
            Containerizer.to(TarImage.at(baseTar).named("base"))
                .setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(workDir.resolve("tar-cache")));
    String repository = "library/tar-base-test-" + RUN;

    build(
        localRequestBuilder(repository, "v1", content("This is V1"))
            .from("tar://base.tar")
            .baseDirectory(workDir)
            .build());

    assertThat(layerDigests(localUri(repository, "v1"), null)).hasSize(2);
  }

  @Test
  void privateRegistryPushWithCredentialsAndCa() throws Exception {
    String repository = "stscanary/private-build-test-" + RUN;
    ImageBuildRequest request =
        privateRequestBuilder(repository)
            .targetCredentials(
                new RegistryCredentials(
                    environment.privateRegistryUsername(),
                    environment.privateRegistryPassword(),
                    "test environment"))
            .caFiles(List.of(environment.privateRegistryCa()))
            .build();

    ImageBuildResult result = build(request);

    URI manifest = privateUri(repository, "v1");
    assertThat(manifestDigest(manifest, basicAuthorization())).isEqualTo(result.digest());
    assertThat(log.lines).noneMatch(line -> line.contains(environment.privateRegistryPassword()));
  }

  @Test
  void privateRegistryWithoutCredentialsIsUnauthorized() throws Exception {
    ImageBuildRequest request =
        privateRequestBuilder("stscanary/anonymous-test-" + RUN)
            .caFiles(List.of(environment.privateRegistryCa()))
            .build();

    ImageBuildException failure = buildFailure(request);

    assertThat(failure.reason()).isEqualTo(Reason.UNAUTHORIZED);
    assertThat(failure)
        .hasMessageContaining("Registry " + environment.privateRegistry())
        .hasMessageContaining("401 Unauthorized")
        .hasMessageContaining("settings.xml <server>");
  }

  @Test
  void privateRegistryWithUnknownCaIsUntrusted() throws Exception {
    Path unrelatedCa = Path.of(ImageBuildIT.class.getResource("test-ca.pem").toURI());
    ImageBuildRequest request =
        privateRequestBuilder("stscanary/unknown-ca-test-" + RUN)
            .targetCredentials(
                new RegistryCredentials(
                    environment.privateRegistryUsername(),
                    environment.privateRegistryPassword(),
                    "test environment"))
            .caFiles(List.of(unrelatedCa))
            .build();

    ImageBuildException failure = buildFailure(request);

    assertThat(failure.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
    assertThat(failure)
        .hasMessageContaining(environment.privateRegistry())
        .hasMessageContaining("-Dcanary.caFile")
        .hasMessageContaining("allowInsecureRegistries");
  }

  @Test
  void plainHttpRegistryWithoutOptInIsRejected() throws Exception {
    ImageBuildRequest request =
        localRequestBuilder("library/secure-only-" + RUN, "v1", content("This is V1"))
            .allowInsecureRegistries(false)
            .build();

    ImageBuildException failure = buildFailure(request);

    assertThat(failure.reason()).isEqualTo(Reason.INSECURE_CONNECTION);
    assertThat(failure)
        .hasMessageContaining(environment.localRegistry())
        .hasMessageContaining("-Dcanary.allowInsecureRegistries=true");
  }

  @Test
  void missingBaseImageIsNotFound() throws Exception {
    ImageBuildRequest request =
        localRequestBuilder("library/missing-base-" + RUN, "v1", content("This is V1"))
            .from(environment.localRegistry() + "/library/no-such-base-" + RUN + ":1")
            .build();

    ImageBuildException failure = buildFailure(request);

    assertThat(failure.reason()).isEqualTo(Reason.BASE_IMAGE_NOT_FOUND);
    assertThat(failure).hasMessageContaining("no-such-base-" + RUN).hasMessageContaining("<from>");
  }

  private ImageBuildResult build(ImageBuildRequest request) throws Exception {
    return new ImageBuilder(log).build(request);
  }

  private ImageBuildException buildFailure(ImageBuildRequest request) {
    ImageBuildException failure =
        catchThrowableOfType(ImageBuildException.class, () -> build(request));
    assertThat(failure).as("build failure").isNotNull();
    return failure;
  }

  private Path content(String versionText) throws IOException {
    Path directory = Files.createTempDirectory(workDir, "html");
    Files.writeString(directory.resolve("version.html"), versionText + "\n");
    return directory;
  }

  private ImageBuildRequest localRequest(String repository, String tag, Path content) {
    return localRequestBuilder(repository, tag, content).build();
  }

  private ImageBuildRequest.Builder localRequestBuilder(
      String repository, String tag, Path content) {
    return ImageBuildRequest.builder()
        .from("scratch")
        .contentDirectory(content)
        .image(environment.localRegistry() + "/" + repository)
        .tag(tag)
        .allowInsecureRegistries(true)
        .baseImageCache(cache.resolve("base"))
        .applicationLayersCache(workDir.resolve("cache"));
  }

  private ImageBuildRequest.Builder privateRequestBuilder(String repository) throws IOException {
    return ImageBuildRequest.builder()
        .from("scratch")
        .contentDirectory(content("This is V1"))
        .image(environment.privateRegistry() + "/" + repository)
        .tag("v1")
        .baseImageCache(cache.resolve("base"))
        .applicationLayersCache(workDir.resolve("cache"));
  }

  private URI localUri(String repository, String tag) {
    return URI.create(
        "http://" + environment.localRegistry() + "/v2/" + repository + "/manifests/" + tag);
  }

  private URI privateUri(String repository, String tag) {
    return URI.create(
        "https://" + environment.privateRegistry() + "/v2/" + repository + "/manifests/" + tag);
  }

  private List<String> localTags(String repository) throws Exception {
    URI uri =
        URI.create("http://" + environment.localRegistry() + "/v2/" + repository + "/tags/list");
    HttpResponse<String> response = send(uri, null);
    assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
    List<String> tags = new ArrayList<>();
    JSON.readTree(response.body()).get("tags").forEach(tag -> tags.add(tag.asString()));
    return tags;
  }

  private String manifestDigest(URI manifest, String authorization) throws Exception {
    HttpResponse<String> response = send(manifest, authorization);
    assertThat(response.statusCode()).as("GET " + manifest).isEqualTo(200);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  private List<String> layerDigests(URI manifest, String authorization) throws Exception {
    HttpResponse<String> response = send(manifest, authorization);
    assertThat(response.statusCode()).as("GET " + manifest).isEqualTo(200);
    List<String> digests = new ArrayList<>();
    for (JsonNode layer : JSON.readTree(response.body()).get("layers")) {
      digests.add(layer.get("digest").asString());
    }
    return digests;
  }

  private HttpResponse<String> send(URI uri, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", MANIFEST_TYPES).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpClient client =
        HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(privateRegistryTrust()).build();
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String basicAuthorization() {
    String pair =
        environment.privateRegistryUsername() + ":" + environment.privateRegistryPassword();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static SSLContext privateRegistryTrust() throws Exception {
    KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
    trustStore.load(null, null);
    int index = 0;
    for (X509Certificate certificate :
        RegistryTrust.readCertificates(environment.privateRegistryCa())) {
      trustStore.setCertificateEntry("ca-" + index++, certificate);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trustStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
