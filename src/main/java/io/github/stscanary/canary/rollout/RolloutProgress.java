package io.github.stscanary.canary.rollout;

import java.util.List;

/**
 * The result of one {@link RolloutCheck}: complete, still waiting (with what it waits for), or
 * failed (with the pods that cannot become Ready).
 */
public record RolloutProgress(
    Outcome outcome,
    List<String> pending,
    List<PodState> failedPods,
    String failure,
    StatefulSetState statefulSet,
    List<PodState> pods,
    int partition) {

  /** Whether the rollout reached its target. */
  public enum Outcome {
    COMPLETE,
    WAITING,
    FAILED
  }

  public boolean complete() {
    return outcome == Outcome.COMPLETE;
  }

  public boolean failed() {
    return outcome == Outcome.FAILED;
  }

  /** Returns whether {@code pod} runs the update revision while it differs from the stable one. */
  public boolean isCanary(PodState pod) {
    return statefulSet.updatePending() && pod.revision().equals(statefulSet.updateRevision());
  }

  /** Returns the number of pods on the update revision, all of them when none is pending. */
  public long canaryCount() {
    return pods.stream().filter(this::isCanary).count();
  }
}
