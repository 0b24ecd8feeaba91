package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;

/**
 * The spec and status fields of a StatefulSet that a rollout is judged by.
 *
 * @param generation {@code metadata.generation}
 * @param observedGeneration {@code status.observedGeneration}, 0 when the controller has not
 *     written a status yet
 * @param partition {@code spec.updateStrategy.rollingUpdate.partition}, 0 when unset
 * @param strategy {@code spec.updateStrategy.type}, {@code RollingUpdate} when unset
 */
public record StatefulSetState(
    String namespace,
    String name,
    long generation,
    long observedGeneration,
    int replicas,
    int readyReplicas,
    int updatedReplicas,
    int currentReplicas,
    String currentRevision,
    String updateRevision,
    int partition,
    String strategy) {

  public static final String ROLLING_UPDATE = "RollingUpdate";

  /** Reads the fields from a StatefulSet as the API server returned it. */
  public static StatefulSetState of(StatefulSet statefulSet) {
    StatefulSetSpec spec = statefulSet.getSpec();
    StatefulSetStatus status =
        statefulSet.getStatus() == null ? new StatefulSetStatus() : statefulSet.getStatus();
    StatefulSetUpdateStrategy strategy = spec.getUpdateStrategy();
    String type =
        strategy == null || strategy.getType() == null ? ROLLING_UPDATE : strategy.getType();
    int partition = 0;
    if (strategy != null
        && strategy.getRollingUpdate() != null
        && strategy.getRollingUpdate().getPartition() != null) {
      partition = strategy.getRollingUpdate().getPartition();
    }
    Long generation = statefulSet.getMetadata().getGeneration();
    return new StatefulSetState(
        statefulSet.getMetadata().getNamespace(),
        statefulSet.getMetadata().getName(),
        generation == null ? 0 : generation,
        orZero(status.getObservedGeneration()),
        spec.getReplicas() == null ? 1 : spec.getReplicas(),
        orZero(status.getReadyReplicas()),
        orZero(status.getUpdatedReplicas()),
        orZero(status.getCurrentReplicas()),
        orEmpty(status.getCurrentRevision()),
        orEmpty(status.getUpdateRevision()),
        partition,
        type);
  }

  /** Returns whether the controller has seen the latest spec, so the status can be trusted. */
  public boolean observed() {
    return observedGeneration >= generation;
  }

  /** Returns whether the update revision differs from the stable one. */
  public boolean updatePending() {
    return !updateRevision.isEmpty() && !updateRevision.equals(currentRevision);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
