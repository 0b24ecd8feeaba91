package io.github.stscanary.canary.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a StatefulSet reached the state that a partition selects, from one snapshot of
 * the StatefulSet and its pods.
 *
 * <p>The target: the controller has observed the latest generation; every pod with an ordinal at or
 * above the partition carries the update revision and is Ready; every pod below it exists, is Ready
 * and did not move to the update revision during the rollout; {@code status.updatedReplicas} and
 * {@code status.readyReplicas} agree with the pods. A pod on the update revision that waits for one
 * of {@link PodState#STUCK_REASONS} fails the rollout at once, because the controller never
 * replaces a pod that did not become Ready.
 */
public final class RolloutCheck {

  private RolloutCheck() {}

  /**
   * Evaluates one snapshot.
   *
   * @param partition the partition the rollout aims for; values above {@code replicas} count as
   *     {@code replicas}
   * @param revisionsBefore pod name to {@code controller-revision-hash} before the rollout started,
   *     used to tell pods below the partition that moved; empty to skip that check
   */
  public static RolloutProgress evaluate(
      StatefulSetState statefulSet,
      List<PodState> pods,
      int partition,
      Map<String, String> revisionsBefore) {
    if (!statefulSet.observed()) {
      String reason =
          "the StatefulSet controller has not observed generation "
              + statefulSet.generation()
              + " yet (observed "
              + statefulSet.observedGeneration()
              + ")";
      return progress(
          RolloutProgress.Outcome.WAITING, List.of(reason), statefulSet, pods, partition);
    }

    int replicas = statefulSet.replicas();
    int firstCanary = Math.min(Math.max(partition, 0), replicas);
    String updateRevision = statefulSet.updateRevision();
    Map<Integer, PodState> byOrdinal = new TreeMap<>();
    for (PodState pod : pods) {
      byOrdinal.put(pod.ordinal(), pod);
    }

    List<PodState> stuck = new ArrayList<>();
    for (PodState pod : pods) {
      if (pod.ordinal() >= firstCanary && pod.revision().equals(updateRevision) && pod.stuck()) {
        stuck.add(pod);
      }
    }
    if (!stuck.isEmpty()) {
      return new RolloutProgress(
          RolloutProgress.Outcome.FAILED,
          List.of(),
          stuck,
          "pods on the update revision cannot become Ready",
          statefulSet,
          pods,
          partition);
    }

    List<String> pending = new ArrayList<>();
    int expectedUpdated = 0;
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      PodState pod = byOrdinal.get(ordinal);
      String name = statefulSet.name() + "-" + ordinal;
      if (pod == null) {
        pending.add(name + " does not exist yet");
        continue;
      }
      if (ordinal >= firstCanary || !statefulSet.updatePending()) {
        expectedUpdated++;
        if (!pod.revision().equals(updateRevision)) {
          pending.add(name + " is on revision " + pod.revision() + ", not " + updateRevision);
          continue;
        }
      } else if (pod.revision().equals(updateRevision)) {
        expectedUpdated++;
        String before = revisionsBefore.get(pod.name());
        if (before != null && !before.equals(updateRevision)) {
          String reason =
              name
                  + " is below partition "
                  + partition
                  + " but moved from revision "
                  + before
                  + " to "
                  + updateRevision
                  + " during the rollout: was the partition lowered by another client?";
          return new RolloutProgress(
              RolloutProgress.Outcome.FAILED,
              List.of(),
              List.of(pod),
              reason,
              statefulSet,
              pods,
              partition);
        }
      }
      if (!pod.ready()) {
        pending.add(name + " is not Ready (" + pod.status() + ")");
      }
    }
    for (PodState pod : byOrdinal.values()) {
      if (pod.ordinal() >= replicas) {
        pending.add(pod.name() + " is beyond " + replicas + " replicas and not deleted yet");
      }
    }
    if (pending.isEmpty() && statefulSet.updatedReplicas() != expectedUpdated) {
      pending.add(
          "status.updatedReplicas is "
              + statefulSet.updatedReplicas()
              + ", expected "
              + expectedUpdated);
    }
    if (pending.isEmpty() && statefulSet.readyReplicas() != replicas) {
      pending.add("status.readyReplicas is " + statefulSet.readyReplicas() + " of " + replicas);
    }

    RolloutProgress.Outcome outcome =
        pending.isEmpty() ? RolloutProgress.Outcome.COMPLETE : RolloutProgress.Outcome.WAITING;
    return progress(outcome, pending, statefulSet, pods, partition);
  }

  private static RolloutProgress progress(
      RolloutProgress.Outcome outcome,
      List<String> pending,
      StatefulSetState statefulSet,
      List<PodState> pods,
      int partition) {
    return new RolloutProgress(
        outcome, List.copyOf(pending), List.of(), "", statefulSet, pods, partition);
  }
}
