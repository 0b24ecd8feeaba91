package io.github.stscanary.canary.lifecycle;

import static io.github.stscanary.canary.lifecycle.TestNamespace.REPLICAS;
import static io.github.stscanary.canary.lifecycle.TestNamespace.STATEFUL_SET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code canary:deploy} with canary pods that cannot become Ready (a {@code broken} image that
 * the simulated kubelet cannot pull) or not in time (a {@code slow} image), with and without the
 * automatic rollback, and {@code canary:rollback} after a failed and after a Ready canary.
 */
class DeployRollbackIT {

  /** Maximum time from a canary pod's ErrImagePull to the failed deploy step. */
  private static final Duration DETECTION_LIMIT = Duration.ofSeconds(30);

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private TestNamespace namespace;

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void deployOfBrokenImageRollsBackToStable() {
    namespace = TestNamespace.create(environment, "deploy-rollback");
    String stableImage = namespace.image("v1");
    String brokenImage = namespace.image("broken");
    String stableRevision =
        namespace.createStatefulSet(stableImage).getStatus().getUpdateRevision();
    MavenRun maven = namespace.project();
    AtomicReference<Instant> pullFailed = new AtomicReference<>();

    MavenRun.Result result;
    Instant goalEnd;
    try (SharedIndexInformer<Pod> informer = recordPullFailure(pullFailed)) {
      result = maven.run("canary:deploy", "-Dcanary.image=" + brokenImage, "-Dpartition=3");
      goalEnd = Instant.now();
    }
    RunReport.Snapshot report = TestNamespace.report(maven);

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output())
        .as("failure names the pod and the reason")
        .containsPattern(STATEFUL_SET + "-4 \\((ErrImagePull|ImagePullBackOff)");
    assertThat(result.output())
        .as("failure says what was rolled back")
        .contains("Rolled back statefulset/" + STATEFUL_SET + " to revision " + stableRevision);
    assertThat(result.output())
        .as("failure names the deleted pod")
        .contains("deleted stuck pods [" + STATEFUL_SET + "-4]");
    namespace.assertStableOn(stableImage);
    assertThat(namespace.statefulSet().getStatus().getUpdateRevision())
        .as("update revision after the rollback")
        .isEqualTo(stableRevision);
    assertThat(report.result()).isEqualTo(RunReport.Result.FAILED);

    assertThat(pullFailed.get()).as("time the pod reported ErrImagePull").isNotNull();
    RunReport.Step failedStep = report.steps().get(0);
    assertThat(failedStep.description()).as("first report step").endsWith("(failed)");
    Duration detection = Duration.between(pullFailed.get(), failedStep.end());
    Duration untilGoalEnd = Duration.between(pullFailed.get(), goalEnd);
    System.out.printf(
        "%s: ErrImagePull at %s, failure detected after %d ms, goal ended after %d ms%n",
        STATEFUL_SET, pullFailed.get(), detection.toMillis(), untilGoalEnd.toMillis());
    assertThat(detection).as("ErrImagePull to detected failure").isLessThan(DETECTION_LIMIT);
  }

  @Test
  void failedCanaryStaysUntilRollback() {
    namespace = TestNamespace.create(environment, "deploy-keep");
    String stableImage = namespace.image("v1");
    String brokenImage = namespace.image("broken");
    String stableRevision =
        namespace.createStatefulSet(stableImage).getStatus().getUpdateRevision();
    MavenRun maven = namespace.project();

    MavenRun.Result deploy =
        maven.run(
            "canary:deploy",
            "-Dcanary.image=" + brokenImage,
            "-Dpartition=3",
            "-Dcanary.rollbackOnFailure=false");

    assertThat(deploy.succeeded()).as(deploy.output()).isFalse();
    assertThat(deploy.output()).contains("The canary stays as it is");
    assertThat(deploy.output()).contains("roll it back with 'mvn canary:rollback'");
    assertThat(deploy.output()).doesNotContain("Rolled back");
    StatefulSet failed = namespace.statefulSet();
    String brokenRevision = failed.getStatus().getUpdateRevision();
    assertThat(brokenRevision)
        .as("update revision of the failed canary")
        .isNotEqualTo(stableRevision);
    Pod canary = namespace.pod(4);
    assertThat(TestNamespace.revision(canary)).as("revision of pod 4").isEqualTo(brokenRevision);
    assertThat(TestNamespace.image(canary)).as("image of pod 4").isEqualTo(brokenImage);
    assertThat(TestNamespace.ready(canary)).as("pod 4 Ready").isFalse();
    List<Pod> stablePods = namespace.pods().subList(0, 4);
    assertThat(stablePods)
        .as("revisions of pods 0 to 3")
        .extracting(TestNamespace::revision)
        .containsOnly(stableRevision);
    assertThat(stablePods).as("pods 0 to 3 Ready").allMatch(TestNamespace::ready);
    String stuckUid = canary.getMetadata().getUid();

    MavenRun.Result rollback = maven.run("canary:rollback");

    assertThat(rollback.succeeded()).as(rollback.output()).isTrue();
    assertThat(rollback.output())
        .contains(
            "Rolled back statefulset/"
                + STATEFUL_SET
                + " to revision "
                + stableRevision
                + " (replacing "
                + brokenRevision
                + ")");
    assertThat(rollback.output()).contains("deleted stuck pods [" + STATEFUL_SET + "-4]");
    namespace.assertStableOn(stableImage);
    assertThat(namespace.pod(4).getMetadata().getUid())
        .as("pod 4 was deleted and created again")
        .isNotEqualTo(stuckUid);
    assertThat(
            namespace.statefulSet().getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
        .as("partition after the rollback")
        .isZero();
    assertThat(TestNamespace.report(maven).result()).isEqualTo(RunReport.Result.SUCCEEDED);
    assertThat(namespace.pods()).hasSize(REPLICAS);
  }

  @Test
  void deployTimeoutRollsBackSlowCanary() {
    namespace = TestNamespace.create(environment, "deploy-timeout");
    String stableImage = namespace.image("v1");
    String stableRevision =
        namespace.createStatefulSet(stableImage).getStatus().getUpdateRevision();
    MavenRun maven = namespace.project();

    MavenRun.Result result =
        maven.run(
            "canary:deploy",
            "-Dcanary.image=" + namespace.image("slow"),
            "-Dpartition=4",
            "-Dcanary.timeout=5s");

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output()).contains("timed out after 5 s");
    assertThat(result.output())
        .as("timeout names the pod that is not Ready")
        .contains(STATEFUL_SET + "-4 not Ready: Pending");
    assertThat(result.output())
        .contains("Rolled back statefulset/" + STATEFUL_SET + " to revision " + stableRevision);
    namespace.assertStableOn(stableImage);
    assertThat(TestNamespace.report(maven).result()).isEqualTo(RunReport.Result.FAILED);
  }

  @Test
  void rollbackOfReadyCanaryRestoresStable() {
    namespace = TestNamespace.create(environment, "rollback-ready");
    String stableImage = namespace.image("v1");
    String stableRevision =
        namespace.createStatefulSet(stableImage).getStatus().getUpdateRevision();
    MavenRun maven = namespace.project();
    MavenRun.Result deploy =
        maven.run("canary:deploy", "-Dcanary.image=" + namespace.image("v2"), "-Dpartition=3");
    assertThat(deploy.succeeded()).as(deploy.output()).isTrue();

    MavenRun.Result rollback = maven.run("canary:rollback");

    assertThat(rollback.succeeded()).as(rollback.output()).isTrue();
    assertThat(rollback.output())
        .contains("Rolled back statefulset/" + STATEFUL_SET + " to revision " + stableRevision);
    assertThat(rollback.output())
        .as("Ready canary pods are replaced by the controller, not deleted")
        .doesNotContain("deleted stuck pods");
    namespace.assertStableOn(stableImage);
    assertThat(namespace.statefulSet().getStatus().getUpdateRevision())
        .as("update revision after the rollback")
        .isEqualTo(stableRevision);
  }

  /**
   * Watches the namespace's pods and records when the first of them reports a container waiting
   * with reason ErrImagePull.
   */
  private SharedIndexInformer<Pod> recordPullFailure(AtomicReference<Instant> pullFailed) {
    return namespace
        .client()
        .pods()
        .inNamespace(namespace.name())
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Pod pod) {
                check(pod);
              }

              @Override
              public void onUpdate(Pod before, Pod after) {
                check(after);
              }

              @Override
              public void onDelete(Pod pod, boolean finalStateUnknown) {}

              private void check(Pod pod) {
                if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                  return;
                }
                for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                  if (status.getState() != null
                      && status.getState().getWaiting() != null
                      && "ErrImagePull".equals(status.getState().getWaiting().getReason())) {
                    pullFailed.compareAndSet(null, Instant.now());
                  }
                }
              }
            });
  }
}
