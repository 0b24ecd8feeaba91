package io.github.stscanary.canary.verify;

import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.RolloutProgress;
import io.github.stscanary.canary.rollout.StatefulSetState;
import java.util.ArrayList;
import java.util.List;

/** Rollout snapshots of a 5-replica StatefulSet {@code web} for the verify unit tests. */
final class Snapshots {

  static final String STABLE_REVISION = "web-6b8f9c7d5";
  static final String CANARY_REVISION = "web-5c7d4b8f9";
  static final String OLDER_REVISION = "web-7f9b6d5c8";

  private Snapshots() {}

  /**
   * Returns a snapshot with pods below {@code partition} on the stable revision, the rest on the
   * canary one.
   */
  static RolloutProgress canary(int partition) {
    List<PodState> pods = new ArrayList<>();
    for (int ordinal = 0; ordinal < 5; ordinal++) {
      pods.add(pod(ordinal, ordinal < partition ? STABLE_REVISION : CANARY_REVISION));
    }
    return progress(state(STABLE_REVISION, CANARY_REVISION, partition), pods);
  }

  /** Returns a snapshot with every pod on one revision and no update pending. */
  static RolloutProgress settled() {
    List<PodState> pods = new ArrayList<>();
    for (int ordinal = 0; ordinal < 5; ordinal++) {
      pods.add(pod(ordinal, STABLE_REVISION));
    }
    return progress(state(STABLE_REVISION, STABLE_REVISION, 0), pods);
  }

  static PodState pod(int ordinal, String revision) {
    return new PodState(
        "web-" + ordinal, ordinal, true, "Running", "", 0, null, "registry/web:v", revision);
  }

  static RolloutProgress progress(StatefulSetState state, List<PodState> pods) {
    return new RolloutProgress(
        RolloutProgress.Outcome.COMPLETE, List.of(), List.of(), "", state, pods, state.partition());
  }

  static StatefulSetState state(String currentRevision, String updateRevision, int partition) {
    return new StatefulSetState(
        "shop",
        "web",
        2,
        2,
        5,
        5,
        5 - partition,
        partition,
        currentRevision,
        updateRevision,
        partition,
        StatefulSetState.ROLLING_UPDATE);
  }
}
