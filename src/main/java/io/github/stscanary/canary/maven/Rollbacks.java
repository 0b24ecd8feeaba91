package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.rollout.RollbackService;

/** Formats the outcome line of a rollback, shared by rollback and by deploy's own rollback. */
final class Rollbacks {

  private Rollbacks() {}

  static String describe(String statefulSet, RollbackService.RollbackResult result) {
    String replaced =
        result.revertedRevision().isEmpty() ? "" : " (replacing " + result.revertedRevision() + ")";
    String deleted =
        result.deletedPods().isEmpty() ? "" : "; deleted stuck pods " + result.deletedPods();
    return "Rolled back statefulset/"
        + statefulSet
        + " to revision "
        + result.stableRevision()
        + replaced
        + ": "
        + result.progress().pods().stream().filter(pod -> pod.ready()).count()
        + " of "
        + result.progress().statefulSet().replicas()
        + " pods Ready"
        + deleted;
  }
}
