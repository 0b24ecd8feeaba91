package io.github.stscanary.canary.reliability;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A namespace of its own for one reliability test class, with an admin client and StatefulSets
 * built in code. Closing it deletes the namespace.
 */
final class ReliabilityNamespace implements AutoCloseable {

  /** Project under {@code src/test/projects} that the Maven runs copy. */
  static final String PROJECT = "reliability";

  /** Name of the project's StatefulSet, its Service and its single container. */
  static final String WEB = "web";

  static final int REPLICAS = 3;

  /** Maximum wait for the cluster to reach a state that a test sets up. */
  static final long WAIT_SECONDS = 120;

  private final ClusterEnvironment environment;
  private final KubernetesClient client;
  private final String name;

  private ReliabilityNamespace(
      ClusterEnvironment environment, KubernetesClient client, String name) {
    this.environment = environment;
    this.client = client;
    this.name = name;
  }

  /**
   * Creates a namespace named {@code <prefix>-<random>} and waits for its default ServiceAccount,
   * without which the admission plugin rejects pods.
   */
  static ReliabilityNamespace create(ClusterEnvironment environment, String prefix) {
    KubernetesClient client = adminClient(environment);
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
    return new ReliabilityNamespace(environment, client, name);
  }

  static KubernetesClient adminClient(ClusterEnvironment environment) {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(environment.adminKubeconfig().toFile()))
        .build();
  }

  String name() {
    return name;
  }

  KubernetesClient client() {
    return client;
  }

  /** Copies the reliability project for a Maven run against this namespace. */
  MavenRun project() {
    return MavenRun.copyOf(PROJECT, environment, name);
  }

  /**
   * Creates a StatefulSet of {@link #REPLICAS} pods labelled {@code app: <name>}, with one
   * container per name in {@code containers}, all running {@code image}, and waits until every pod
   * is Ready on one revision.
   */
  StatefulSet createStatefulSet(String statefulSet, String image, List<String> containers) {
    return createStatefulSet(statefulSet, image, containers, "RollingUpdate");
  }

  StatefulSet createStatefulSet(
      String statefulSet, String image, List<String> containers, String strategy) {
    return createStatefulSetIn(name, statefulSet, image, containers, strategy);
  }

  /**
   * Creates the StatefulSet of {@link #createStatefulSet} in {@code target}, another namespace, and
   * waits until it is stable.
   */
  StatefulSet createStatefulSetIn(
      String target, String statefulSet, String image, List<String> containers, String strategy) {
    StatefulSet built =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(statefulSet)
            .endMetadata()
            .withNewSpec()
            .withReplicas(REPLICAS)
            .withServiceName(statefulSet)
            .withNewSelector()
            .addToMatchLabels("app", statefulSet)
            .endSelector()
            .withNewUpdateStrategy()
            .withType(strategy)
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", statefulSet)
            .endMetadata()
            .withNewSpec()
            .withContainers(
                containers.stream()
                    .map(container -> new ContainerBuilder().withName(container).withImage(image))
                    .map(ContainerBuilder::build)
                    .toList())
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().statefulSets().inNamespace(target).resource(built).create();
    return awaitStable(target, statefulSet);
  }

  StatefulSet statefulSet(String statefulSet) {
    return client.apps().statefulSets().inNamespace(name).withName(statefulSet).get();
  }

  /** Waits until every replica of {@code statefulSet} is Ready on one revision. */
  StatefulSet awaitStable(String statefulSet) {
    return awaitStable(name, statefulSet);
  }

  StatefulSet awaitStable(String target, String statefulSet) {
    return client
        .apps()
        .statefulSets()
        .inNamespace(target)
        .withName(statefulSet)
        .waitUntilCondition(ReliabilityNamespace::stable, WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Returns {@code kind/name} to resourceVersion of every StatefulSet, Service, ConfigMap and pod
   * in the namespace, so that a test can show that a failed goal changed nothing.
   */
  Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    Stream.of(
            client.apps().statefulSets().inNamespace(name).list().getItems(),
            client.services().inNamespace(name).list().getItems(),
            client.configMaps().inNamespace(name).list().getItems(),
            client.pods().inNamespace(name).list().getItems())
        .flatMap(List::stream)
        .forEach(
            (HasMetadata object) ->
                versions.put(
                    object.getKind() + "/" + object.getMetadata().getName(),
                    object.getMetadata().getResourceVersion()));
    return versions;
  }

  /**
   * Returns the resourceVersions of {@code statefulSet} and its pods only, for tests whose other
   * StatefulSets may still be settling.
   */
  Map<String, String> resourceVersions(String statefulSet) {
    Map<String, String> versions = new TreeMap<>();
    resourceVersions()
        .forEach(
            (object, version) -> {
              if (object.equals("StatefulSet/" + statefulSet)
                  || object.startsWith("Pod/" + statefulSet + "-")) {
                versions.put(object, version);
              }
            });
    return versions;
  }

  private static boolean stable(StatefulSet statefulSet) {
    if (statefulSet == null || statefulSet.getStatus() == null) {
      return false;
    }
    var status = statefulSet.getStatus();
    return Objects.equals(status.getObservedGeneration(), statefulSet.getMetadata().getGeneration())
        && status.getUpdateRevision() != null
        && status.getUpdateRevision().equals(status.getCurrentRevision())
        && Objects.equals(status.getReadyReplicas(), statefulSet.getSpec().getReplicas())
        && Objects.equals(status.getUpdatedReplicas(), statefulSet.getSpec().getReplicas());
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
