package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStateTest {

  @Test
  void ofReadsRecordedReadyPod() {
    PodState pod = RecordedRollout.partitionThreeComplete().podState(4);

    assertThat(pod.name()).isEqualTo("web-4");
    assertThat(pod.ordinal()).isEqualTo(4);
    assertThat(pod.ready()).isTrue();
    assertThat(pod.status()).isEqualTo("Running");
    assertThat(pod.message()).isEmpty();
    assertThat(pod.restarts()).isZero();
    assertThat(pod.created()).isEqualTo(Instant.parse("2025-03-10T10:02:17Z"));
    assertThat(pod.image()).isEqualTo(RecordedRollout.UPDATE_IMAGE);
    assertThat(pod.revision()).isEqualTo(RecordedRollout.UPDATE_REVISION);
    assertThat(pod.stuck()).isFalse();
  }

  @Test
  void ofReadsRecordedCrashLoopPod() {
    PodState pod = RecordedRollout.canaryCrashLoop().podState(4);

    assertThat(pod.ready()).isFalse();
    assertThat(pod.status()).isEqualTo("CrashLoopBackOff");
    assertThat(pod.message()).startsWith("back-off 1m20s restarting failed container=app");
    assertThat(pod.restarts()).isEqualTo(4);
    assertThat(pod.stuck()).isTrue();
  }

  @Test
  void terminatingPodIsNotReady() {
    PodState pod =
        RecordedRollout.partitionThreeComplete()
            .withPod(1, RecordedRollout.terminating())
            .podState(1);

    assertThat(pod.ready()).isFalse();
    assertThat(pod.status()).isEqualTo("Terminating");
    assertThat(pod.stuck()).isFalse();
  }

  @Test
  void terminatingCrashLoopPodIsNotStuck() {
    PodState pod =
        RecordedRollout.canaryCrashLoop().withPod(4, RecordedRollout.terminating()).podState(4);

    assertThat(pod.status()).isEqualTo("Terminating");
    assertThat(pod.stuck()).isFalse();
  }

  @Test
  void readyConditionFalseIsNotReady() {
    PodState pod =
        RecordedRollout.partitionThreeComplete().withPod(2, RecordedRollout.notReady()).podState(2);

    assertThat(pod.ready()).isFalse();
    assertThat(pod.status()).isEqualTo("Running");
  }

  @Test
  void podWithoutStatusIsPending() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web-0")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("web:v1")
            .endContainer()
            .endSpec()
            .build();

    PodState state = PodState.of(pod, "web", "app");

    assertThat(state.status()).isEqualTo("Pending");
    assertThat(state.ready()).isFalse();
    assertThat(state.revision()).isEmpty();
    assertThat(state.created()).isNull();
  }

  @Test
  void waitingInitContainerGivesStatus() {
    Pod pod =
        podWithTwoContainers()
            .editStatus()
            .withPhase("Pending")
            .addNewInitContainerStatus()
            .withName("migrate")
            .withRestartCount(0)
            .withNewState()
            .withNewWaiting()
            .withReason("ErrImagePull")
            .withMessage("pull access denied for migrate:v2")
            .endWaiting()
            .endState()
            .endInitContainerStatus()
            .endStatus()
            .build();

    PodState state = PodState.of(pod, "web", "app");

    assertThat(state.status()).isEqualTo("ErrImagePull");
    assertThat(state.message()).isEqualTo("pull access denied for migrate:v2");
    assertThat(state.stuck()).isTrue();
  }

  @Test
  void completedInitContainerIsNoFailure() {
    Pod pod =
        podWithTwoContainers()
            .editStatus()
            .addNewInitContainerStatus()
            .withName("migrate")
            .withRestartCount(0)
            .withNewState()
            .withNewTerminated()
            .withReason("Completed")
            .withExitCode(0)
            .endTerminated()
            .endState()
            .endInitContainerStatus()
            .endStatus()
            .build();

    PodState state = PodState.of(pod, "web", "app");

    assertThat(state.status()).isEqualTo("Running");
    assertThat(state.ready()).isTrue();
  }

  @Test
  void terminatedContainerGivesReason() {
    Pod pod =
        podWithTwoContainers()
            .editStatus()
            .editMatchingContainerStatus(status -> "app".equals(status.getName()))
            .withNewState()
            .withNewTerminated()
            .withReason("OOMKilled")
            .withMessage("memory limit 64Mi exceeded")
            .withExitCode(137)
            .endTerminated()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();

    PodState state = PodState.of(pod, "web", "app");

    assertThat(state.status()).isEqualTo("OOMKilled");
    assertThat(state.message()).isEqualTo("memory limit 64Mi exceeded");
  }

  @Test
  void restartsSumOverContainers() {
    PodState state = PodState.of(podWithTwoContainers().build(), "web", "app");

    assertThat(state.restarts()).isEqualTo(5);
  }

  @Test
  void imageOfNamedContainer() {
    PodState state = PodState.of(podWithTwoContainers().build(), "web", "app");

    assertThat(state.image()).isEqualTo("127.0.0.1:5000/shop/web:v2");
  }

  @Test
  void imageOfFirstContainerWithoutName() {
    PodState state = PodState.of(podWithTwoContainers().build(), "web", null);

    assertThat(state.image()).isEqualTo("envoyproxy/envoy:v1.31.0");
  }

  @Test
  void imageOfUnknownContainerIsEmpty() {
    PodState state = PodState.of(podWithTwoContainers().build(), "web", "worker");

    assertThat(state.image()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "web-0, web, 0",
    "web-12, web, 12",
    "web-canary-1, web, -1",
    "webapp-0, web, -1",
    "web-, web, -1",
    "other-3, web, -1"
  })
  void ordinalOfPodName(String podName, String statefulSetName, int expected) {
    assertThat(PodState.ordinalOf(podName, statefulSetName)).isEqualTo(expected);
  }

  /** Returns a Ready pod web-2 with a proxy sidecar first and the app container second. */
  private static PodBuilder podWithTwoContainers() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web-2")
        .withCreationTimestamp("2025-03-10T09:13:09Z")
        .addToLabels(PodState.REVISION_LABEL, RecordedRollout.UPDATE_REVISION)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("proxy")
        .withImage("envoyproxy/envoy:v1.31.0")
        .endContainer()
        .addNewContainer()
        .withName("app")
        .withImage("127.0.0.1:5000/shop/web:v2")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewContainerStatus()
        .withName("proxy")
        .withReady(true)
        .withRestartCount(2)
        .withNewState()
        .withNewRunning()
        .withStartedAt("2025-03-10T09:13:10Z")
        .endRunning()
        .endState()
        .endContainerStatus()
        .addNewContainerStatus()
        .withName("app")
        .withReady(true)
        .withRestartCount(3)
        .withNewState()
        .withNewRunning()
        .withStartedAt("2025-03-10T09:13:11Z")
        .endRunning()
        .endState()
        .endContainerStatus()
        .endStatus();
  }
}
