package io.github.stscanary.canary.lifecycle;

import static io.github.stscanary.canary.lifecycle.TestNamespace.LEASE;
import static io.github.stscanary.canary.lifecycle.TestNamespace.STATEFUL_SET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs two {@code canary:deploy} goals on one StatefulSet at once. The first deploys a {@code slow}
 * image, whose pod the simulated kubelet makes Ready only after 20 s, so it holds the rollout lock
 * while the second starts.
 */
class RolloutLockIT {

  private static final String HOST_ANNOTATION = "canary.stscanary.github.io/host";
  private static final String USER_ANNOTATION = "canary.stscanary.github.io/user";
  private static final String GOAL_ANNOTATION = "canary.stscanary.github.io/goal";
  private static final String STARTED_ANNOTATION = "canary.stscanary.github.io/started";

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private TestNamespace namespace;
  private Process first;

  @AfterEach
  void stopAndClean() {
    if (first != null && first.isAlive()) {
      first.destroyForcibly();
    }
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void secondDeployFailsWhileFirstHoldsLock() throws InterruptedException {
    namespace = TestNamespace.create(environment, "rollout-lock");
    String slowImage = namespace.image("slow");
    namespace.createStatefulSet(namespace.image("v1"));
    MavenRun firstRun = namespace.project();
    MavenRun secondRun = namespace.project();

    first = firstRun.start("canary:deploy", "-Dcanary.image=" + slowImage, "-Dpartition=4");
    Lease lease = namespace.awaitLease();
    awaitSlowPodCreated(slowImage);
    StatefulSet before = namespace.statefulSet();
    Instant secondStart = Instant.now();
    MavenRun.Result second =
        secondRun.run("canary:deploy", "-Dcanary.image=" + namespace.image("v2"), "-Dpartition=3");
    Duration secondDuration = Duration.between(secondStart, Instant.now());
    StatefulSet after = namespace.statefulSet();
    boolean slowPodReady = TestNamespace.ready(namespace.pod(4));

    assertThat(second.succeeded()).as(second.output()).isFalse();
    Map<String, String> holder = lease.getMetadata().getAnnotations();
    assertThat(second.output())
        .contains(
            "statefulset/"
                + STATEFUL_SET
                + " in namespace "
                + namespace.name()
                + " is locked by "
                + holder.get(GOAL_ANNOTATION)
                + " run by "
                + holder.get(USER_ANNOTATION)
                + " on "
                + holder.get(HOST_ANNOTATION)
                + " since "
                + holder.get(STARTED_ANNOTATION));
    assertThat(second.output()).contains("kubectl delete lease " + LEASE);
    assertThat(holder.get(GOAL_ANNOTATION)).isEqualTo("canary:deploy");
    assertThat(holder.get(USER_ANNOTATION)).isEqualTo(System.getProperty("user.name"));
    assertThat(holder.get(HOST_ANNOTATION)).isNotBlank();
    assertThat(holder.get(STARTED_ANNOTATION)).isNotBlank();
    assertThat(slowPodReady)
        .as("slow pod still not Ready after the second deploy, so the first one still waited")
        .isFalse();
    assertThat(after.getMetadata().getResourceVersion())
        .as("resourceVersion of the StatefulSet across the second deploy")
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(TestNamespace.report(secondRun).result()).isEqualTo(RunReport.Result.FAILED);
    System.out.printf(
        "%s: locked-out deploy took %d ms%n", STATEFUL_SET, secondDuration.toMillis());

    assertThat(first.waitFor(MavenRun.TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .as("first deploy finished")
        .isTrue();
    assertThat(first.exitValue()).as(firstRun.output()).isZero();
    assertThat(namespace.lease()).as("lease after the first deploy").isNull();
    assertThat(TestNamespace.image(namespace.pod(4))).isEqualTo(slowImage);
  }

  /**
   * Waits until the first deploy's patch has replaced pod 4 by one on the slow image, so that the
   * StatefulSet's status stays unchanged until that pod becomes Ready.
   */
  private void awaitSlowPodCreated(String slowImage) {
    namespace.awaitPodImage(4, slowImage);
    namespace
        .client()
        .apps()
        .statefulSets()
        .inNamespace(namespace.name())
        .withName(STATEFUL_SET)
        .waitUntilCondition(
            statefulSet ->
                statefulSet.getStatus() != null
                    && Integer.valueOf(1).equals(statefulSet.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(4).equals(statefulSet.getStatus().getReadyReplicas()),
            TestNamespace.WAIT_SECONDS,
            TimeUnit.SECONDS);
  }
}
