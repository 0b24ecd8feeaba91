package io.github.stscanary.canary.lifecycle;

import static io.github.stscanary.canary.lifecycle.TestNamespace.SERVICE;
import static io.github.stscanary.canary.lifecycle.TestNamespace.STATEFUL_SET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code canary:undeploy} on a StatefulSet with a volume claim template. The local cluster has
 * no provisioner, so the claims stay Pending, which is enough to see whether they survive.
 */
class UndeployIT {

  private static final List<String> CLAIMS =
      List.of(
          "data-" + STATEFUL_SET + "-0",
          "data-" + STATEFUL_SET + "-1",
          "data-" + STATEFUL_SET + "-2");

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private TestNamespace namespace;

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  // With whenDeleted: Delete, the StatefulSet owns its claims, so the garbage collector would
  // delete them with it unless undeploy switches the policy to Retain first.
  @Test
  void undeployKeepsClaimsOfDeletePolicy() {
    namespace = TestNamespace.create(environment, "undeploy-keep");
    StatefulSet statefulSet = createWithClaims("Delete");
    awaitClaimsOwnedBy(statefulSet);
    MavenRun maven = namespace.project();

    MavenRun.Result undeploy = maven.run("canary:undeploy");

    assertThat(undeploy.succeeded()).as(undeploy.output()).isTrue();
    assertThat(undeploy.output())
        .contains("Deleted statefulset/" + STATEFUL_SET + ", service/" + SERVICE);
    assertThat(namespace.statefulSet()).as("StatefulSet after undeploy").isNull();
    assertThat(service()).as("Service after undeploy").isNull();
    awaitPodsDeleted();
    List<PersistentVolumeClaim> claims = claims();
    assertThat(claims)
        .as("claims after undeploy")
        .extracting(claim -> claim.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(CLAIMS);
    assertThat(claims)
        .as("claims marked for deletion")
        .allMatch(claim -> claim.getMetadata().getDeletionTimestamp() == null);
    assertThat(TestNamespace.report(maven).result()).isEqualTo(RunReport.Result.SUCCEEDED);
  }

  @Test
  void undeployWithDeleteVolumesDeletesClaims() {
    namespace = TestNamespace.create(environment, "undeploy-volumes");
    createWithClaims("Retain");
    awaitClaims();
    MavenRun maven = namespace.project();

    MavenRun.Result undeploy = maven.run("canary:undeploy", "-Dcanary.deleteVolumes=true");

    assertThat(undeploy.succeeded()).as(undeploy.output()).isTrue();
    for (String claim : CLAIMS) {
      assertThat(undeploy.output()).contains("persistentvolumeclaim/" + claim);
    }
    assertThat(namespace.statefulSet()).as("StatefulSet after undeploy").isNull();
    assertThat(service()).as("Service after undeploy").isNull();
    awaitPodsDeleted();
    // The pvc-protection finalizer keeps a claim until no pod uses it, so the claims go after
    // the pods.
    namespace
        .client()
        .persistentVolumeClaims()
        .inNamespace(namespace.name())
        .informOnCondition(List::isEmpty)
        .orTimeout(TestNamespace.WAIT_SECONDS, TimeUnit.SECONDS)
        .join();
    assertThat(claims()).as("claims after undeploy").isEmpty();
  }

  @Test
  void undeployWithDeleteNamespaceDeletesIt() {
    namespace = TestNamespace.create(environment, "undeploy-namespace");
    namespace.createStatefulSet(namespace.image("v1"));
    MavenRun maven = namespace.project();

    MavenRun.Result undeploy = maven.run("canary:undeploy", "-Dcanary.deleteNamespace=true");

    assertThat(undeploy.succeeded()).as(undeploy.output()).isTrue();
    assertThat(undeploy.output()).contains("namespace/" + namespace.name());
    assertThat(undeploy.output()).doesNotContain("Failed to release lease");
    Namespace deleted = namespace.client().namespaces().withName(namespace.name()).get();
    assertThat(deleted == null || deleted.getMetadata().getDeletionTimestamp() != null)
        .as("namespace deleted or terminating")
        .isTrue();
    assertThat(TestNamespace.report(maven).result()).isEqualTo(RunReport.Result.SUCCEEDED);
  }

  private StatefulSet createWithClaims(String claimRetention) {
    namespace.createFrom(
        TestNamespace.VOLUME_MANIFESTS,
        Map.of("canary.image", namespace.image("v1"), "claimRetention", claimRetention));
    return namespace.statefulSet();
  }

  private List<PersistentVolumeClaim> awaitClaims() {
    return namespace
        .client()
        .persistentVolumeClaims()
        .inNamespace(namespace.name())
        .informOnCondition(claims -> claims.size() == CLAIMS.size())
        .orTimeout(TestNamespace.WAIT_SECONDS, TimeUnit.SECONDS)
        .join();
  }

  // The StatefulSet controller adds the owner references after it created the claims.
  private void awaitClaimsOwnedBy(StatefulSet statefulSet) {
    String uid = statefulSet.getMetadata().getUid();
    namespace
        .client()
        .persistentVolumeClaims()
        .inNamespace(namespace.name())
        .informOnCondition(
            claims ->
                claims.size() == CLAIMS.size()
                    && claims.stream().allMatch(claim -> ownedBy(claim, uid)))
        .orTimeout(TestNamespace.WAIT_SECONDS, TimeUnit.SECONDS)
        .join();
  }

  private static boolean ownedBy(PersistentVolumeClaim claim, String uid) {
    List<OwnerReference> owners = claim.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(owner -> uid.equals(owner.getUid()));
  }

  private void awaitPodsDeleted() {
    namespace
        .client()
        .pods()
        .inNamespace(namespace.name())
        .informOnCondition(List::isEmpty)
        .orTimeout(TestNamespace.WAIT_SECONDS, TimeUnit.SECONDS)
        .join();
  }

  private List<PersistentVolumeClaim> claims() {
    return namespace
        .client()
        .persistentVolumeClaims()
        .inNamespace(namespace.name())
        .list()
        .getItems();
  }

  private Service service() {
    return namespace.client().services().inNamespace(namespace.name()).withName(SERVICE).get();
  }
}
