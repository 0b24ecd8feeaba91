package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers a StatefulSet's partition step by step, so that more pods move to the update revision,
 * checking each step as a canary deploy does.
 */
public final class PromoteService {

  private final ClusterConnection connection;
  private final ProgressLog log;
  private final StepListener listener;

  /** Receives each finished step, for reports and checks such as {@code canary:verify}. */
  public interface StepListener {
    /**
     * Called before the partition of a step is set, after the pause that precedes it, so that a
     * report can time the step without the pause.
     */
    default void stepStarting(int fromPartition, int toPartition) {}

    /**
     * Called after the pods of a step match. An exception thrown here ends the promotion before the
     * next step.
     */
    void stepCompleted(int fromPartition, int toPartition, RolloutProgress progress)
        throws InterruptedException;
  }

  public PromoteService(ClusterConnection connection, ProgressLog log, StepListener listener) {
    this.connection = connection;
    this.log = log;
    this.listener = listener;
  }

  /**
   * Runs the steps below the current partition and returns the last rollout, or the current state
   * when every step is already done.
   *
   * @throws RolloutException when the steps are invalid or the current canary failed (nothing
   *     changed then), or a step fails
   */
  public RolloutProgress promote(PromoteRequest request) throws InterruptedException {
    StatefulSet statefulSet = StatefulSets.require(connection, request.statefulSet());
    StatefulSetState state = StatefulSetState.of(statefulSet);
    validateSteps(request.steps(), state);
    if (request.steps().size() == 1 && request.steps().get(0) > state.partition()) {
      throw new RolloutException(
          "Partition "
              + request.steps().get(0)
              + " is above the current partition "
              + state.partition()
              + " of statefulset/"
              + state.name()
              + ": promote only lowers it. Use canary:deploy -Dpartition="
              + request.steps().get(0)
              + " to move pods back.");
    }

    List<Integer> remaining = new ArrayList<>();
    for (int step : request.steps()) {
      if (step < state.partition()) {
        remaining.add(step);
      }
    }
    if (!remaining.isEmpty()) {
      rejectFailedCanary(request, state);
    }
    if (remaining.isEmpty()) {
      log.info(
          "Partition of statefulset/"
              + state.name()
              + " is already "
              + state.partition()
              + ", at or below every step "
              + request.steps()
              + "; checking the pods");
    }

    CanaryDeployer deployer = new CanaryDeployer(connection, log);
    RolloutProgress progress = null;
    int from = state.partition();
    int target = remaining.isEmpty() ? state.partition() : remaining.get(0);
    for (int index = 0; ; index++) {
      if (!remaining.isEmpty()) {
        listener.stepStarting(from, target);
      }
      progress =
          deployer.deploy(
              new CanaryRequest(
                  request.statefulSet(), request.container(), null, target, request.timeout()));
      if (!remaining.isEmpty()) {
        listener.stepCompleted(from, target, progress);
        log.info("Step " + (index + 1) + " of " + remaining.size() + " done: partition " + target);
      }
      if (index + 1 >= remaining.size()) {
        return progress;
      }
      int next = remaining.get(index + 1);
      if (request.pause() == null) {
        log.info(
            "Stopped after partition "
                + target
                + " because no pause is set; run canary:promote again to continue with partition "
                + next);
        return progress;
      }
      log.info("Pausing " + request.pause().toSeconds() + " s before partition " + next);
      Thread.sleep(request.pause().toMillis());
      from = target;
      target = next;
    }
  }

  // Under a lowered partition every pod that restarts takes the update revision, so promoting a
  // stuck canary would spread it. Such a canary has to be rolled back or replaced first.
  private void rejectFailedCanary(PromoteRequest request, StatefulSetState state) {
    RolloutProgress current =
        StatusReport.read(connection, request.statefulSet(), request.container()).progress();
    if (!current.failed()) {
      return;
    }
    StringBuilder pods = new StringBuilder();
    for (PodState pod : current.failedPods()) {
      if (pods.length() > 0) {
        pods.append(", ");
      }
      pods.append(pod.name()).append(" (").append(pod.status());
      if (!pod.message().isEmpty()) {
        pods.append(": ").append(pod.message());
      }
      pods.append(")");
    }
    throw new RolloutException(
        "Cannot promote statefulset/"
            + state.name()
            + " because its canary failed: "
            + current.failure()
            + ": "
            + pods
            + ". Nothing was changed, so the partition stays "
            + state.partition()
            + ". Roll the canary back with 'mvn canary:rollback', or deploy a fixed image with"
            + " 'mvn canary:deploy'.",
        current,
        PodTable.format(current, Instant.now()));
  }

  private static void validateSteps(List<Integer> steps, StatefulSetState state) {
    if (steps.isEmpty()) {
      throw new RolloutException(
          "No promotion steps. Pass -Dcanary.steps=3,1,0 or -Dpartition=N, or leave both unset"
              + " to promote to partition 0.");
    }
    for (int index = 0; index < steps.size(); index++) {
      int step = steps.get(index);
      if (step < 0 || step > state.replicas()) {
        throw new RolloutException(
            "Invalid promotion step "
                + step
                + ": each must be between 0 and "
                + state.replicas()
                + " (spec.replicas of statefulset/"
                + state.name()
                + "). Fix -Dcanary.steps or -Dpartition.");
      }
      if (index > 0 && step >= steps.get(index - 1)) {
        throw new RolloutException(
            "Invalid promotion steps "
                + steps
                + ": each must be below the one before, for example 3,1,0. Fix -Dcanary.steps.");
      }
    }
  }
}
