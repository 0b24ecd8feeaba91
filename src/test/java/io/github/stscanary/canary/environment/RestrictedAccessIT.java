package io.github.stscanary.canary.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that restricted.kubeconfig, a ServiceAccount token bound to a Role in one namespace, can
 * manage StatefulSets there and nothing outside it.
 */
class RestrictedAccessIT {

  private static final long TIMEOUT_SECONDS = 60;

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private KubernetesClient client;
  private String namespace;

  @BeforeEach
  void connect() {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(environment.restrictedKubeconfig().toFile()))
            .build();
    namespace = environment.restrictedNamespace();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void listingSecretsInAllNamespacesIsForbidden() {
    KubernetesClientException rejection =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.secrets().inAnyNamespace().list());

    assertThat(rejection).as("exception of the secret list").isNotNull();
    assertThat(rejection.getCode()).isEqualTo(403);
  }

  @Test
  void creatingStatefulSetInDefaultNamespaceIsForbidden() {
    StatefulSet statefulSet = statefulSet("restricted-it-" + suffix());

    KubernetesClientException rejection =
        catchThrowableOfType(
            KubernetesClientException.class,
            () ->
                client.apps().statefulSets().inNamespace("default").resource(statefulSet).create());

    assertThat(rejection).as("exception of the create in namespace default").isNotNull();
    assertThat(rejection.getCode()).isEqualTo(403);
  }

  @Test
  void statefulSetLifecycleInOwnNamespaceIsAllowed() {
    String name = "restricted-it-" + suffix();
    var statefulSets = client.apps().statefulSets().inNamespace(namespace);

    StatefulSet created = statefulSets.resource(statefulSet(name)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    StatefulSet fetched = statefulSets.withName(name).get();
    assertThat(fetched.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());

    StatefulSet patched =
        statefulSets
            .withName(name)
            .patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"metadata\": {\"labels\": {\"checked-by\": \"restricted-access-it\"}}}");
    assertThat(patched.getMetadata().getLabels())
        .containsEntry("checked-by", "restricted-access-it");

    // Waiting uses a watch on pods, which the Role grants as well.
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .withName(name + "-0")
            .waitUntilCondition(
                candidate -> candidate != null && Readiness.isPodReady(candidate),
                TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
    List<Pod> pods = client.pods().inNamespace(namespace).withLabel("app", name).list().getItems();
    assertThat(pods)
        .extracting(listed -> listed.getMetadata().getName())
        .containsExactly(pod.getMetadata().getName());

    assertThat(statefulSets.withName(name).delete()).hasSize(1);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private StatefulSet statefulSet(String name) {
    String image = environment.localRegistry() + "/stscanary/restricted-test:v1";
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withServiceName(name)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
