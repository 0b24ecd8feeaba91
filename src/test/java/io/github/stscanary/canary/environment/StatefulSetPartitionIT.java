package io.github.stscanary.canary.environment;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that the local control plane runs a StatefulSet partitioned rolling update the way the
 * canary plugin relies on: only ordinals at or above the partition move to the new revision.
 */
class StatefulSetPartitionIT {

  private static final String NAME = "version-test";
  private static final int REPLICAS = 5;
  private static final int PARTITION = 3;
  private static final long TIMEOUT_SECONDS = 120;
  private static final String REVISION_LABEL = "controller-revision-hash";

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private KubernetesClient client;
  private String namespace;

  @TempDir Path workDir;

  @BeforeEach
  void createNamespace() {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(environment.adminKubeconfig().toFile()))
            .build();
    namespace = "partition-it-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    // The ServiceAccount admission plugin rejects pods until the controller manager has created
    // the namespace's default ServiceAccount.
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .withName("default")
        .waitUntilCondition(Objects::nonNull, TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterEach
  void deleteNamespace() {
    if (client != null) {
      client.namespaces().withName(namespace).delete();
      client.close();
    }
  }

  @Test
  void partitionUpdatesOnlyOrdinalsAtOrAboveIt() throws Exception {
    String repository = environment.localRegistry() + "/stscanary/" + NAME;
    String imageV1 = pushVersionImage(repository, "v1");
    String imageV2 = pushVersionImage(repository, "v2");

    client.services().inNamespace(namespace).resource(nodePortService()).create();
    client.apps().statefulSets().inNamespace(namespace).resource(statefulSet(imageV1)).create();
    StatefulSet initial = waitForRollout(REPLICAS);
    String oldRevision = initial.getStatus().getUpdateRevision();

    // Image and partition in one request, so the controller never observes the new template
    // without the partition and never replaces an ordinal below it.
    String patch =
        """
        {"spec": {
          "updateStrategy": {"rollingUpdate": {"partition": %d}},
          "template": {"spec": {"containers": [{"name": "%s", "image": "%s"}]}}}}
        """
            .formatted(PARTITION, NAME, imageV2);
    client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .withName(NAME)
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    StatefulSetStatus status = waitForRollout(REPLICAS - PARTITION).getStatus();
    String newRevision = status.getUpdateRevision();

    assertThat(status.getUpdatedReplicas()).isEqualTo(REPLICAS - PARTITION);
    assertThat(status.getCurrentRevision()).isEqualTo(oldRevision);
    assertThat(status.getCurrentRevision()).isNotEqualTo(newRevision);
    for (int ordinal = 0; ordinal < REPLICAS; ordinal++) {
      Pod pod = client.pods().inNamespace(namespace).withName(NAME + "-" + ordinal).get();
      boolean updated = ordinal >= PARTITION;
      assertThat(pod.getMetadata().getLabels())
          .as("revision label of pod %s", pod.getMetadata().getName())
          .containsEntry(REVISION_LABEL, updated ? newRevision : oldRevision);
      assertThat(pod.getSpec().getContainers().get(0).getImage())
          .as("image of pod %s", pod.getMetadata().getName())
          .isEqualTo(updated ? imageV2 : imageV1);
    }
  }

  /**
   * Pushes an image built from scratch with one layer that contains /version.txt, and returns its
   * reference by tag.
   */
  private String pushVersionImage(String repository, String version) throws Exception {
    Path versionFile = Files.createDirectories(workDir.resolve(version)).resolve("version.txt");
    Files.writeString(versionFile, version + "\n", StandardCharsets.UTF_8);
    String reference = repository + ":" + version;

    JibContainer container =
        Jib.fromScratch()
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .addEntry(versionFile, AbsoluteUnixPath.get("/version.txt"))
                    .build())
            .containerize(
                Containerizer.to(RegistryImage.named(reference))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(workDir.resolve("jib-cache"))
                    .setApplicationLayersCache(workDir.resolve("jib-cache")));
    assertThat(container.isImagePushed()).as("pushed %s", reference).isTrue();
    return reference;
  }

  private Service nodePortService() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(NAME)
        .endMetadata()
        .withNewSpec()
        .withType("NodePort")
        .withSelector(Map.of("app", NAME))
        .addNewPort()
        .withName("http")
        .withPort(8080)
        .endPort()
        .endSpec()
        .build();
  }

  private StatefulSet statefulSet(String image) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(NAME)
        .endMetadata()
        .withNewSpec()
        .withReplicas(REPLICAS)
        .withServiceName(NAME)
        .withNewSelector()
        .addToMatchLabels("app", NAME)
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withPartition(0)
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", NAME)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(NAME)
        .withImage(image)
        .addNewPort()
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Waits until the controller has observed the latest generation, all replicas are ready, and
   * {@code updatedReplicas} equals the expected count.
   */
  private StatefulSet waitForRollout(int expectedUpdatedReplicas) {
    return client
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .withName(NAME)
        .waitUntilCondition(
            statefulSet -> {
              if (statefulSet == null || statefulSet.getStatus() == null) {
                return false;
              }
              StatefulSetStatus status = statefulSet.getStatus();
              boolean observed =
                  Objects.equals(
                      status.getObservedGeneration(), statefulSet.getMetadata().getGeneration());
              boolean ready = Objects.equals(status.getReadyReplicas(), REPLICAS);
              boolean updated =
                  Objects.equals(status.getUpdatedReplicas(), expectedUpdatedReplicas);
              return observed && ready && updated;
            },
            TIMEOUT_SECONDS,
            TimeUnit.SECONDS);
  }
}
