package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Pushes test images to the local registry and lists the tags of both registries. */
final class TestRegistries {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern TAG = Pattern.compile("\"([^\"]+)\"");

  /** References pushed by this JVM, so that each is pushed once. */
  private static final Set<String> PUSHED = new HashSet<>();

  private TestRegistries() {}

  /**
   * Pushes a one-layer image from scratch as {@code <local registry>/<repository>:<tag>}, once per
   * JVM, and returns that reference.
   */
  static String pushLocal(ClusterEnvironment environment, String repository, String tag) {
    String reference = environment.localRegistry() + "/" + repository + ":" + tag;
    synchronized (PUSHED) {
      if (PUSHED.add(reference)) {
        push(reference, tag);
      }
    }
    return reference;
  }

  private static void push(String reference, String tag) {
    try {
      Path content = Files.createDirectories(Path.of("target/reliability-images", tag));
      Path page = Files.writeString(content.resolve("version.html"), tag + "\n");
      Path cache = Path.of("target/reliability-jib-cache").toAbsolutePath();
      JibContainer container =
          Jib.fromScratch()
              .addFileEntriesLayer(
                  FileEntriesLayer.builder()
                      .addEntry(page, AbsoluteUnixPath.get("/usr/share/nginx/html/version.html"))
                      .build())
              .containerize(
                  Containerizer.to(RegistryImage.named(reference))
                      .setAllowInsecureRegistries(true)
                      .setBaseImageLayersCache(cache)
                      .setApplicationLayersCache(cache));
      assertThat(container.isImagePushed()).as("pushed %s", reference).isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while pushing " + reference, e);
    } catch (InvalidImageReferenceException
        | RegistryException
        | CacheDirectoryCreationException
        | ExecutionException e) {
      throw new AssertionError("Failed to push " + reference, e);
    }
  }

  /** Returns the tags of {@code repository} in the plain-HTTP registry; empty when it has none. */
  static List<String> localTags(ClusterEnvironment environment, String repository) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    return tags(client, "http://" + environment.localRegistry(), repository, null);
  }

  /** Returns the tags of {@code repository} in the TLS registry with basic authentication. */
  static List<String> privateTags(ClusterEnvironment environment, String repository) {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trusting(environment.privateRegistryCa()))
            .connectTimeout(TIMEOUT)
            .build();
    String credentials =
        environment.privateRegistryUsername() + ":" + environment.privateRegistryPassword();
    String authorization =
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    return tags(client, "https://" + environment.privateRegistry(), repository, authorization);
  }

  private static List<String> tags(
      HttpClient client, String base, String repository, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/tags/list"))
            .timeout(TIMEOUT)
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while listing tags", e);
    }
    if (response.statusCode() == 404) {
      return List.of();
    }
    assertThat(response.statusCode())
        .as("tag list of %s: %s", repository, response.body())
        .isEqualTo(200);
    // The answer is {"name":"<repository>","tags":["v1",...]} or "tags":null.
    String body = response.body();
    int start = body.indexOf("\"tags\":[");
    if (start < 0) {
      return List.of();
    }
    String list = body.substring(start + 8, body.indexOf(']', start));
    Matcher matcher = TAG.matcher(list);
    List<String> tags = new ArrayList<>();
    while (matcher.find()) {
      tags.add(matcher.group(1));
    }
    return tags.stream().sorted().toList();
  }

  static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
      trustStore.load(null, null);
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trustStore.setCertificateEntry("ca-" + index++, certificate);
      }
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Failed to trust " + caFile, e);
    }
  }
}
