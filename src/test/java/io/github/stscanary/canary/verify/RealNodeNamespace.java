package io.github.stscanary.canary.verify;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A namespace of its own for one test, with the StatefulSet {@code web} and the NodePort Service
 * {@code web} of {@code src/test/projects/verify-nginx}, whose pods run on the real node. Closing
 * it deletes the namespace.
 */
final class RealNodeNamespace implements AutoCloseable {

  static final String PROJECT = "verify-nginx";
  static final String STATEFUL_SET = "web";
  static final String SERVICE = "web";
  static final int REPLICAS = 5;
  static final String REVISION_LABEL = "controller-revision-hash";

  /** Maximum wait for the pods, in seconds, which pull images and start containers on this host. */
  static final long WAIT_SECONDS = 180;

  private static final Path MANIFESTS = Path.of("src/test/projects", PROJECT, "src/main/k8s");

  private final ClusterEnvironment environment;
  private final KubernetesClient client;
  private final String name;

  private RealNodeNamespace(ClusterEnvironment environment, KubernetesClient client, String name) {
    this.environment = environment;
    this.client = client;
    this.name = name;
  }

  /**
   * Creates a namespace named {@code <prefix>-<random>} and waits for its default ServiceAccount,
   * without which the admission plugin rejects pods.
   */
  static RealNodeNamespace create(ClusterEnvironment environment, String prefix) {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(environment.adminKubeconfig().toFile()))
            .build();
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(Objects::nonNull, WAIT_SECONDS, TimeUnit.SECONDS);
    return new RealNodeNamespace(environment, client, name);
  }

  String name() {
    return name;
  }

  /** Copies the verify-nginx project for a Maven run against this namespace. */
  MavenRun project() {
    return MavenRun.copyOf(PROJECT, environment, name);
  }

  /**
   * Creates the Service and the StatefulSet with {@code image} on the real node, and waits until
   * every pod is Ready on one revision.
   */
  StatefulSet createWorkload(String image) {
    Map<String, String> values =
        Map.of(
            "canary.image", image,
            "realNode", environment.get("REAL_NODE_NAME"),
            "taintKey", environment.get("REAL_NODE_TAINT").replaceFirst(":.*", ""));
    for (Path file : manifests()) {
      String yaml = read(file);
      for (Map.Entry<String, String> value : values.entrySet()) {
        yaml = yaml.replace("${" + value.getKey() + "}", value.getValue());
      }
      List<HasMetadata> objects =
          client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
      for (HasMetadata object : objects) {
        client.resource(object).inNamespace(name).create();
      }
    }
    return awaitStable();
  }

  StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(name).withName(STATEFUL_SET).get();
  }

  /** Returns the StatefulSet's pods in ordinal order. */
  List<Pod> pods() {
    return client.pods().inNamespace(name).withLabel("app", "web").list().getItems().stream()
        .sorted(Comparator.comparingInt(RealNodeNamespace::ordinal))
        .toList();
  }

  /** Returns the NodePort that kube-proxy opened for the Service on 127.0.0.1. */
  int nodePort() {
    return client
        .services()
        .inNamespace(name)
        .withName(SERVICE)
        .get()
        .getSpec()
        .getPorts()
        .get(0)
        .getNodePort();
  }

  /**
   * Returns the body of {@code /version.html} of the pod with {@code ordinal}, requested through
   * the API server's pod proxy as {@code kubectl get --raw} would, without a trailing newline.
   */
  String page(int ordinal) {
    String path =
        "/api/v1/namespaces/"
            + name
            + "/pods/"
            + STATEFUL_SET
            + "-"
            + ordinal
            + ":80/proxy/version.html";
    HttpClient http = client.getHttpClient();
    String master = client.getMasterUrl().toString().replaceFirst("/$", "");
    try {
      HttpResponse<String> response =
          http.sendAsync(http.newHttpRequestBuilder().uri(master + path).build(), String.class)
              .get(30, TimeUnit.SECONDS);
      if (!response.isSuccessful()) {
        throw new AssertionError(
            "GET " + path + ": HTTP " + response.code() + " " + response.body());
      }
      return response.body().strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted during GET " + path, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  /**
   * Waits until the controller has observed the latest spec, {@code currentRevision} equals {@code
   * updateRevision}, and every replica is Ready and on that revision.
   */
  StatefulSet awaitStable() {
    client
        .apps()
        .statefulSets()
        .inNamespace(name)
        .withName(STATEFUL_SET)
        .waitUntilCondition(RealNodeNamespace::stable, WAIT_SECONDS, TimeUnit.SECONDS);
    return statefulSet();
  }

  static int ordinal(Pod pod) {
    String podName = pod.getMetadata().getName();
    return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
  }

  static String revision(Pod pod) {
    return pod.getMetadata().getLabels().getOrDefault(REVISION_LABEL, "");
  }

  private static boolean stable(StatefulSet statefulSet) {
    if (statefulSet == null || statefulSet.getStatus() == null) {
      return false;
    }
    var status = statefulSet.getStatus();
    return Objects.equals(status.getObservedGeneration(), statefulSet.getMetadata().getGeneration())
        && status.getUpdateRevision() != null
        && status.getUpdateRevision().equals(status.getCurrentRevision())
        && Objects.equals(status.getReadyReplicas(), REPLICAS)
        && Objects.equals(status.getUpdatedReplicas(), REPLICAS)
        && Objects.equals(status.getCurrentReplicas(), REPLICAS);
  }

  private static List<Path> manifests() {
    try (Stream<Path> listing = Files.list(MANIFESTS)) {
      return listing.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the namespace without waiting, and closes the client. */
  @Override
  public void close() {
    try {
      client.namespaces().withName(name).delete();
    } finally {
      client.close();
    }
  }
}
