package io.github.stscanary.canary.rollout;

import static io.github.stscanary.canary.rollout.RecordedRollout.STABLE_IMAGE;
import static io.github.stscanary.canary.rollout.RecordedRollout.STABLE_REVISION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RolloutPhaseTest {

  @Test
  void allPodsOnOneRevisionIsHealthy() {
    assertThat(phaseOf(RecordedRollout.allPodsUpdated())).isEqualTo(RolloutPhase.HEALTHY);
  }

  @Test
  void reachedPartitionIsPaused() {
    assertThat(phaseOf(RecordedRollout.partitionThreeComplete())).isEqualTo(RolloutPhase.PAUSED);
  }

  @Test
  void podStillMovingIsProgressing() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withPod(3, RecordedRollout.onRevision(STABLE_REVISION, STABLE_IMAGE))
            .withStatefulSet(
                statefulSet -> statefulSet.editStatus().withUpdatedReplicas(1).endStatus());

    assertThat(phaseOf(rollout)).isEqualTo(RolloutPhase.PROGRESSING);
  }

  @Test
  void unobservedGenerationIsProgressing() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete()
            .withStatefulSet(
                statefulSet -> statefulSet.editMetadata().withGeneration(5L).endMetadata());

    assertThat(phaseOf(rollout)).isEqualTo(RolloutPhase.PROGRESSING);
  }

  @Test
  void partitionZeroBeforeRevisionSwitchIsProgressing() {
    // Every pod is updated, but the controller has not yet made the update revision current.
    RecordedRollout rollout =
        RecordedRollout.allPodsUpdated()
            .withStatefulSet(
                statefulSet ->
                    statefulSet.editStatus().withCurrentRevision(STABLE_REVISION).endStatus());

    assertThat(phaseOf(rollout)).isEqualTo(RolloutPhase.PROGRESSING);
  }

  @Test
  void stuckCanaryIsDegraded() {
    assertThat(phaseOf(RecordedRollout.canaryCrashLoop())).isEqualTo(RolloutPhase.DEGRADED);
  }

  @Test
  void displayNamesMatchArgoRollouts() {
    assertThat(RolloutPhase.values())
        .extracting(RolloutPhase::displayName)
        .containsExactly("Healthy", "Progressing", "Paused", "Degraded");
  }

  private static RolloutPhase phaseOf(RecordedRollout rollout) {
    return RolloutPhase.of(rollout.state(), rollout.podStates());
  }
}
