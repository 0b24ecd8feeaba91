package io.github.stscanary.canary.rollout;

import static io.github.stscanary.canary.rollout.RecordedRollout.STABLE_IMAGE;
import static io.github.stscanary.canary.rollout.RecordedRollout.STABLE_REVISION;
import static io.github.stscanary.canary.rollout.RecordedRollout.UPDATE_IMAGE;
import static io.github.stscanary.canary.rollout.RecordedRollout.UPDATE_REVISION;
import static io.github.stscanary.canary.rollout.RecordedRollout.notReady;
import static io.github.stscanary.canary.rollout.RecordedRollout.onRevision;
import static io.github.stscanary.canary.rollout.RecordedRollout.terminating;
import static io.github.stscanary.canary.rollout.RecordedRollout.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.rollout.RolloutProgress.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutCheckTest {

  /** Revisions before a canary with partition 3 started from a StatefulSet fully on v1. */
  private static final Map<String, String> ALL_STABLE_BEFORE =
      Map.of(
          "web-0", STABLE_REVISION,
          "web-1", STABLE_REVISION,
          "web-2", STABLE_REVISION,
          "web-3", STABLE_REVISION,
          "web-4", STABLE_REVISION);

  @Test
  void partitionZeroAllUpdatedIsComplete() {
    RolloutProgress progress = RecordedRollout.allPodsUpdated().evaluate(0);

    assertThat(progress.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(progress.pending()).isEmpty();
    assertThat(progress.failedPods()).isEmpty();
  }

  @Test
  void partitionZeroCompleteBeforeCurrentRevisionMoves() {
    RecordedRollout rollout =
        RecordedRollout.allPodsUpdated()
            .withStatefulSet(
                statefulSet ->
                    statefulSet
                        .editStatus()
                        .withCurrentRevision(STABLE_REVISION)
                        .withCurrentReplicas(0)
                        .endStatus());

    RolloutProgress progress = rollout.evaluate(0);

    assertThat(progress.outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void partitionThreeOfFiveIsComplete() {
    RolloutProgress progress = RecordedRollout.partitionThreeComplete().evaluate(3);

    assertThat(progress.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(progress.pending()).isEmpty();
    assertThat(progress.failedPods()).isEmpty();
    assertThat(progress.canaryCount()).isEqualTo(2);
  }

  @Test
  void partitionEqualToReplicasCompleteAtOnce() {
    RolloutProgress progress = nothingUpdatedYet().evaluate(5, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(progress.canaryCount()).isZero();
  }

  @Test
  void partitionAboveReplicasCountsAsReplicas() {
    RolloutProgress progress = nothingUpdatedYet().evaluate(8, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void rolloutInFlightWaitsForNextPod() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withPod(3, onRevision(STABLE_REVISION, STABLE_IMAGE))
            .withStatefulSet(
                statefulSet ->
                    statefulSet
                        .editStatus()
                        .withUpdatedReplicas(1)
                        .withCurrentReplicas(4)
                        .endStatus());

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending())
        .containsExactly("web-3 is on revision web-6d8f7c9b5d, not web-7f9c6b8d4c");
  }

  @Test
  void missingPodWaitsForController() {
    RolloutProgress progress = RecordedRollout.partitionThreeComplete().withoutPod(3).evaluate(3);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("web-3 does not exist yet");
  }

  @Test
  void crashLoopingCanaryFailsAtOnce() {
    RolloutProgress progress = RecordedRollout.canaryCrashLoop().evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(progress.failedPods()).extracting(PodState::name).containsExactly("web-4");
    assertThat(progress.failedPods().get(0).status()).isEqualTo("CrashLoopBackOff");
    assertThat(progress.failure()).isEqualTo("pods on the update revision cannot become Ready");
  }

  @ParameterizedTest
  @CsvSource({
    "ErrImagePull, 'failed to pull and unpack image \"127.0.0.1:5000/shop/web:v2\": not found'",
    "ImagePullBackOff, 'Back-off pulling image \"127.0.0.1:5000/shop/web:v2\"'",
    "InvalidImageName, 'Failed to apply default image tag \"127.0.0.1:5000/Shop/web:v2\"'"
  })
  void imagePullFailureFailsCanary(String reason, String message) {
    RecordedRollout rollout =
        RecordedRollout.canaryCrashLoop()
            .withPod(
                4,
                pod ->
                    waiting(reason, message)
                        .apply(pod)
                        .editStatus()
                        .withPhase("Pending")
                        .endStatus());

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(progress.failedPods()).extracting(PodState::name).containsExactly("web-4");
    assertThat(progress.failedPods().get(0).status()).isEqualTo(reason);
    assertThat(progress.failedPods().get(0).message()).isEqualTo(message);
  }

  @Test
  void crashLoopingStablePodOnlyWaits() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withPod(1, waiting("CrashLoopBackOff", "back-off 20s restarting failed container"));

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("web-1 is not Ready (CrashLoopBackOff)");
  }

  @Test
  void staleObservedGenerationWaitsDespiteDonePods() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withStatefulSet(
                statefulSet -> statefulSet.editMetadata().withGeneration(5L).endMetadata());

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending())
        .containsExactly(
            "the StatefulSet controller has not observed generation 5 yet (observed 4)");
  }

  @Test
  void podBelowPartitionMovedFails() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withPod(2, onRevision(UPDATE_REVISION, UPDATE_IMAGE))
            .withStatefulSet(
                statefulSet ->
                    statefulSet
                        .editStatus()
                        .withUpdatedReplicas(3)
                        .withCurrentReplicas(2)
                        .endStatus());

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(progress.failedPods()).extracting(PodState::name).containsExactly("web-2");
    assertThat(progress.failure())
        .isEqualTo(
            "web-2 is below partition 3 but moved from revision web-6d8f7c9b5d to"
                + " web-7f9c6b8d4c during the rollout: was the partition lowered by another"
                + " client?");
  }

  @Test
  void podBelowPartitionUpdatedBeforeIsKept() {
    // Raising the partition from 2 to 3 leaves web-2 on the update revision, because the
    // controller does not roll pods below the partition back.
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withPod(2, onRevision(UPDATE_REVISION, UPDATE_IMAGE))
            .withStatefulSet(
                statefulSet ->
                    statefulSet
                        .editStatus()
                        .withUpdatedReplicas(3)
                        .withCurrentReplicas(2)
                        .endStatus());
    Map<String, String> before =
        Map.of(
            "web-0", STABLE_REVISION,
            "web-1", STABLE_REVISION,
            "web-2", UPDATE_REVISION,
            "web-3", UPDATE_REVISION,
            "web-4", UPDATE_REVISION);

    RolloutProgress progress = rollout.evaluate(3, before);

    assertThat(progress.outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void stablePodNotReadyWaits() {
    RolloutProgress progress =
        RecordedRollout.partitionThreeComplete()
            .withPod(1, notReady())
            .evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("web-1 is not Ready (Running)");
  }

  @Test
  void canaryPodNotReadyWaits() {
    RolloutProgress progress =
        RecordedRollout.partitionThreeComplete()
            .withPod(3, notReady())
            .evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("web-3 is not Ready (Running)");
  }

  @Test
  void updatedReplicasLaggingWaits() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withStatefulSet(
                statefulSet -> statefulSet.editStatus().withUpdatedReplicas(1).endStatus());

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("status.updatedReplicas is 1, expected 2");
  }

  @Test
  void readyReplicasLaggingWaits() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withStatefulSet(
                statefulSet -> statefulSet.editStatus().withReadyReplicas(4).endStatus());

    RolloutProgress progress = rollout.evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("status.readyReplicas is 4 of 5");
  }

  @Test
  void terminatingPodCountsAsNotReady() {
    RolloutProgress progress =
        RecordedRollout.partitionThreeComplete()
            .withPod(1, terminating())
            .evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending()).containsExactly("web-1 is not Ready (Terminating)");
  }

  @Test
  void extraPodBeyondReplicasWaits() {
    RolloutProgress progress =
        RecordedRollout.partitionThreeComplete().plusPod(4, 5).evaluate(3, ALL_STABLE_BEFORE);

    assertThat(progress.outcome()).isEqualTo(Outcome.WAITING);
    assertThat(progress.pending())
        .containsExactly("web-5 is beyond 5 replicas and not deleted yet");
  }

  /** Right after a patch with partition 5: a new update revision, but no pod to move to it. */
  private static RecordedRollout nothingUpdatedYet() {
    return RecordedRollout.partitionThreeComplete()
        .withPartition(5)
        .withPod(3, onRevision(STABLE_REVISION, STABLE_IMAGE))
        .withPod(4, onRevision(STABLE_REVISION, STABLE_IMAGE))
        .withStatefulSet(
            statefulSet ->
                statefulSet.editStatus().withUpdatedReplicas(0).withCurrentReplicas(5).endStatus());
  }
}
