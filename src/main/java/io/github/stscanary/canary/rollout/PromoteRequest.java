package io.github.stscanary.canary.rollout;

import java.time.Duration;
import java.util.List;

/**
 * A promotion: lower the partition through {@code steps}, each below the one before.
 *
 * @param statefulSet name of the StatefulSet in the connection's namespace
 * @param container container whose image the pod table shows, or {@code null} for the only one
 * @param steps partitions to move through, strictly decreasing; steps at or above the current
 *     partition are already done and skipped
 * @param pause wait between steps, or {@code null} to stop after the first step taken, so that a
 *     later run continues with the next one
 * @param timeout how long to wait for the pods of each step
 */
public record PromoteRequest(
    String statefulSet, String container, List<Integer> steps, Duration pause, Duration timeout) {

  public PromoteRequest {
    steps = List.copyOf(steps);
  }
}
