package io.github.stscanary.canary.rollout;

import java.util.List;
import java.util.Map;

/** The phase of a StatefulSet's rollout, named as Argo Rollouts names its phases. */
public enum RolloutPhase {
  /** All pods on one revision and Ready. */
  HEALTHY("Healthy"),
  /** An update is still moving pods, or the controller has not caught up with the spec. */
  PROGRESSING("Progressing"),
  /** The partition keeps some pods on the stable revision and the canary pods are Ready. */
  PAUSED("Paused"),
  /** A pod on the update revision is stuck and will not become Ready by itself. */
  DEGRADED("Degraded");

  private final String displayName;

  RolloutPhase(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /** Classifies a snapshot by the partition in the StatefulSet's own spec. */
  public static RolloutPhase of(StatefulSetState statefulSet, List<PodState> pods) {
    RolloutProgress progress =
        RolloutCheck.evaluate(statefulSet, pods, statefulSet.partition(), Map.of());
    if (progress.failed()) {
      return DEGRADED;
    }
    if (!progress.complete()) {
      return PROGRESSING;
    }
    if (!statefulSet.updatePending()) {
      return HEALTHY;
    }
    return statefulSet.partition() > 0 ? PAUSED : PROGRESSING;
  }
}
