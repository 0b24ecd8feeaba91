package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.kube.ClusterConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A read-only snapshot of a StatefulSet's rollout: revisions, partition, counts, phase, pods. */
public record StatusReport(RolloutProgress progress, RolloutPhase phase) {

  /** Reads the StatefulSet and its pods; sends only GET and LIST requests. */
  public static StatusReport read(ClusterConnection connection, String name, String container) {
    StatefulSet statefulSet = StatefulSets.require(connection, name);
    String resolved =
        container == null
                && statefulSet.getSpec().getTemplate().getSpec().getContainers().size() > 1
            ? statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getName()
            : StatefulSets.resolveContainer(statefulSet, container);
    List<PodState> podStates = new ArrayList<>();
    for (Pod pod : StatefulSets.ownedPods(connection, statefulSet)) {
      podStates.add(PodState.of(pod, name, resolved));
    }
    podStates.sort(Comparator.comparingInt(PodState::ordinal));
    StatefulSetState state = StatefulSetState.of(statefulSet);
    RolloutProgress progress = RolloutCheck.evaluate(state, podStates, state.partition(), Map.of());
    return new StatusReport(progress, RolloutPhase.of(state, podStates));
  }

  /** Returns the report as nested maps and lists, ready for a JSON serializer. */
  public Map<String, Object> toMap(Instant now) {
    StatefulSetState state = progress.statefulSet();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("namespace", state.namespace());
    map.put("statefulSet", state.name());
    map.put("phase", phase.displayName());
    map.put("strategy", state.strategy());
    map.put("partition", state.partition());
    map.put("replicas", state.replicas());
    map.put("readyReplicas", state.readyReplicas());
    map.put("updatedReplicas", state.updatedReplicas());
    map.put("currentReplicas", state.currentReplicas());
    map.put("currentRevision", state.currentRevision());
    map.put("updateRevision", state.updateRevision());
    map.put("generation", state.generation());
    map.put("observedGeneration", state.observedGeneration());
    map.put("pending", progress.pending());
    List<Map<String, Object>> pods = new ArrayList<>();
    for (PodState pod : progress.pods()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", pod.name());
      entry.put("ordinal", pod.ordinal());
      entry.put("ready", pod.ready());
      entry.put("status", pod.status());
      entry.put("restarts", pod.restarts());
      entry.put("created", pod.created() == null ? null : pod.created().toString());
      entry.put("image", pod.image());
      entry.put("revision", pod.revision());
      entry.put("role", PodTable.role(progress, pod));
      pods.add(entry);
    }
    map.put("pods", pods);
    map.put("time", now.toString());
    return map;
  }

  /** Returns the text form: a header of revisions and counts, then the pod table. */
  public List<String> toLines(Instant now) {
    StatefulSetState state = progress.statefulSet();
    List<String> lines = new ArrayList<>();
    lines.add(
        "statefulset/"
            + state.name()
            + " in namespace "
            + state.namespace()
            + ": "
            + phase.displayName());
    lines.add(
        "  partition "
            + state.partition()
            + ", replicas "
            + state.replicas()
            + ", ready "
            + state.readyReplicas()
            + ", updated "
            + state.updatedReplicas()
            + ", current "
            + state.currentReplicas());
    lines.add(
        "  current revision "
            + state.currentRevision()
            + ", update revision "
            + state.updateRevision());
    for (String pending : progress.pending()) {
      lines.add("  waiting: " + pending);
    }
    lines.addAll(PodTable.format(progress, now));
    return lines;
  }
}
