package io.github.stscanary.canary.lifecycle;

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
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.stscanary.canary.report.ReportWriter;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A namespace of its own for one lifecycle test, with an admin client and the StatefulSet and
 * Service of the {@code src/test/projects/nginx} project. Closing it deletes the namespace.
 */
final class TestNamespace implements AutoCloseable {

  static final String PROJECT = "nginx";
  static final String STATEFUL_SET = "nginx-statefulset";
  static final String SERVICE = "nginx";
  static final int REPLICAS = 5;
  static final String LEASE = STATEFUL_SET + "-canary-lock";
  static final String REVISION_LABEL = "controller-revision-hash";

  /** Maximum wait for the cluster to reach a state that a test sets up or expects. */
  static final long WAIT_SECONDS = 120;

  private static final Path PROJECT_DIRECTORY = Path.of("src/test/projects", PROJECT);
  private static final Path MANIFESTS = PROJECT_DIRECTORY.resolve("src/main/k8s");

  /** Manifests of a 3-replica StatefulSet with a volume claim template named {@code data}. */
  static final Path VOLUME_MANIFESTS = PROJECT_DIRECTORY.resolve("src/main/k8s-volumes");

  /** References pushed by this JVM, so that each tag is pushed once. */
  private static final Set<String> PUSHED = new HashSet<>();

  private final ClusterEnvironment environment;
  private final KubernetesClient client;
  private final String name;

  private TestNamespace(ClusterEnvironment environment, KubernetesClient client, String name) {
    this.environment = environment;
    this.client = client;
    this.name = name;
  }

  /**
   * Creates a namespace named {@code <prefix>-<random>} and waits for its default ServiceAccount,
   * without which the admission plugin rejects pods.
   */
  static TestNamespace create(ClusterEnvironment environment, String prefix) {
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
    return new TestNamespace(environment, client, name);
  }

  String name() {
    return name;
  }

  KubernetesClient client() {
    return client;
  }

  /**
   * Pushes a one-layer image from scratch as {@code <local registry>/library/version-test:<tag>},
   * once per JVM, and returns that reference. The simulated kubelet pulls nothing, but deploy
   * checks that the image exists in the registry.
   */
  String image(String tag) {
    String reference = environment.localRegistry() + "/library/version-test:" + tag;
    synchronized (PUSHED) {
      if (PUSHED.add(reference)) {
        push(reference, tag);
      }
    }
    return reference;
  }

  private static void push(String reference, String tag) {
    try {
      Path content = Files.createDirectories(Path.of("target/lifecycle-images", tag));
      Path page = Files.writeString(content.resolve("version.html"), tag + "\n");
      Path cache = Path.of("target/lifecycle-jib-cache").toAbsolutePath();
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

  /** Copies the nginx project for a Maven run against this namespace. */
  MavenRun project() {
    return MavenRun.copyOf(PROJECT, environment, name);
  }

  /**
   * Creates the project's Service and StatefulSet with {@code image} through the API, without
   * Maven, and waits until every pod is Ready on one revision.
   */
  StatefulSet createStatefulSet(String image) {
    createFrom(MANIFESTS, Map.of("canary.image", image));
    return awaitStable();
  }

  /**
   * Creates every object of the YAML files in {@code folder}, with each {@code ${key}} placeholder
   * replaced by the value of {@code key} in {@code values}.
   */
  void createFrom(Path folder, Map<String, String> values) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      String yaml;
      try {
        yaml = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (Map.Entry<String, String> value : values.entrySet()) {
        yaml = yaml.replace("${" + value.getKey() + "}", value.getValue());
      }
      List<HasMetadata> objects =
          client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
      for (HasMetadata object : objects) {
        client.resource(object).inNamespace(name).create();
      }
    }
  }

  StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(name).withName(STATEFUL_SET).get();
  }

  /** Returns the StatefulSet's pods in ordinal order. */
  List<Pod> pods() {
    return client.pods().inNamespace(name).withLabel("app", "nginx").list().getItems().stream()
        .filter(pod -> pod.getMetadata().getName().startsWith(STATEFUL_SET + "-"))
        .sorted(Comparator.comparingInt(TestNamespace::ordinal))
        .toList();
  }

  Pod pod(int ordinal) {
    return client.pods().inNamespace(name).withName(STATEFUL_SET + "-" + ordinal).get();
  }

  /** Returns the rollout lock, or {@code null} when no run holds it. */
  Lease lease() {
    return client.leases().inNamespace(name).withName(LEASE).get();
  }

  /** Waits until a run has created the rollout lock, and returns it. */
  Lease awaitLease() {
    return client
        .leases()
        .inNamespace(name)
        .withName(LEASE)
        .waitUntilCondition(Objects::nonNull, WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Waits until the pod with {@code ordinal} exists with {@code image}, and returns it. */
  Pod awaitPodImage(int ordinal, String image) {
    return client
        .pods()
        .inNamespace(name)
        .withName(STATEFUL_SET + "-" + ordinal)
        .waitUntilCondition(
            pod -> pod != null && image.equals(image(pod)), WAIT_SECONDS, TimeUnit.SECONDS);
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
        .waitUntilCondition(TestNamespace::stable, WAIT_SECONDS, TimeUnit.SECONDS);
    return statefulSet();
  }

  /**
   * Asserts that every pod is Ready on the stable revision with {@code image}, and that no update
   * is pending.
   */
  void assertStableOn(String image) {
    StatefulSet statefulSet = statefulSet();
    String updateRevision = statefulSet.getStatus().getUpdateRevision();
    List<Pod> pods = pods();

    assertThat(statefulSet.getStatus().getCurrentRevision())
        .as("status.currentRevision")
        .isEqualTo(updateRevision);
    assertThat(pods).as("pods").hasSize(REPLICAS);
    assertThat(pods)
        .as("controller-revision-hash of the pods")
        .extracting(pod -> pod.getMetadata().getLabels().get(REVISION_LABEL))
        .containsOnly(updateRevision);
    assertThat(pods)
        .as("images of the pods")
        .extracting(pod -> pod.getSpec().getContainers().get(0).getImage())
        .containsOnly(image);
    assertThat(pods).as("Ready condition of the pods").allMatch(TestNamespace::ready);
  }

  /** Reads the report.json that the last recorded goal wrote in {@code project}. */
  static RunReport.Snapshot report(MavenRun project) {
    try {
      return ReportWriter.read(
          project.directory().resolve("target/canary").resolve(ReportWriter.JSON_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int ordinal(Pod pod) {
    String podName = pod.getMetadata().getName();
    return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
  }

  static boolean ready(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(
                condition ->
                    "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
  }

  static String revision(Pod pod) {
    return pod.getMetadata().getLabels().getOrDefault(REVISION_LABEL, "");
  }

  static String image(Pod pod) {
    return pod.getSpec().getContainers().get(0).getImage();
  }

  private static boolean stable(StatefulSet statefulSet) {
    if (statefulSet == null || statefulSet.getStatus() == null) {
      return false;
    }
    var status = statefulSet.getStatus();
    Long generation = statefulSet.getMetadata().getGeneration();
    return status.getObservedGeneration() != null
        && status.getObservedGeneration().equals(generation)
        && status.getUpdateRevision() != null
        && status.getUpdateRevision().equals(status.getCurrentRevision())
        && Objects.equals(status.getReadyReplicas(), REPLICAS)
        && Objects.equals(status.getUpdatedReplicas(), REPLICAS)
        && Objects.equals(status.getCurrentReplicas(), REPLICAS);
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
