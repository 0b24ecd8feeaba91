package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.stscanary.canary.ProgressLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a StatefulSet rollout by watching the StatefulSet and its pods with informers, and
 * evaluating {@link RolloutCheck} after each change. Informers list, then watch, and re-list after
 * a dropped connection, so a restarted API server does not end the wait.
 */
public final class RolloutWatcher {

  private final KubernetesClient client;
  private final ProgressLog log;

  public RolloutWatcher(KubernetesClient client, ProgressLog log) {
    this.client = client;
    this.log = log;
  }

  /**
   * Blocks until the rollout is complete, has failed, or {@code timeout} passed.
   *
   * @param container container whose image the pod table shows; the first one when null
   * @return the complete or failed progress
   * @throws RolloutTimeoutException when the timeout passes first, naming the pods not Ready
   */
  public RolloutProgress await(
      String namespace,
      String name,
      String container,
      int partition,
      Map<String, String> revisionsBefore,
      Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Semaphore changes = new Semaphore(0);
    ResourceEventHandler<HasMetadata> onChange = new SignalingHandler(changes);

    try (SharedIndexInformer<StatefulSet> statefulSets =
            client.apps().statefulSets().inNamespace(namespace).withName(name).inform(onChange, 0);
        SharedIndexInformer<Pod> pods = informPods(namespace, name, statefulSets, onChange)) {
      String lastLine = "";
      while (true) {
        changes.drainPermits();
        RolloutProgress progress =
            snapshot(statefulSets, pods, name, container, partition, revisionsBefore);
        String line = progressLine(progress);
        if (!line.equals(lastLine)) {
          log.info(line);
          lastLine = line;
        }
        if (progress.outcome() != RolloutProgress.Outcome.WAITING) {
          return progress;
        }
        long remaining = Duration.between(Instant.now(), deadline).toMillis();
        if (remaining <= 0 || !changes.tryAcquire(remaining, TimeUnit.MILLISECONDS)) {
          throw timeout(progress, timeout);
        }
      }
    }
  }

  private SharedIndexInformer<Pod> informPods(
      String namespace,
      String name,
      SharedIndexInformer<StatefulSet> statefulSets,
      ResourceEventHandler<HasMetadata> onChange) {
    StatefulSet statefulSet = statefulSets.getStore().getByKey(namespace + "/" + name);
    if (statefulSet == null) {
      throw new RolloutException(
          "StatefulSet " + name + " not found in namespace " + namespace + " while watching it");
    }
    LabelSelector selector = statefulSet.getSpec().getSelector();
    return client.pods().inNamespace(namespace).withLabelSelector(selector).inform(onChange, 0);
  }

  private static RolloutProgress snapshot(
      SharedIndexInformer<StatefulSet> statefulSets,
      SharedIndexInformer<Pod> pods,
      String name,
      String container,
      int partition,
      Map<String, String> revisionsBefore) {
    List<StatefulSet> found = statefulSets.getStore().list();
    if (found.isEmpty()) {
      throw new RolloutException("StatefulSet " + name + " was deleted during the rollout");
    }
    StatefulSet statefulSet = found.get(0);
    String uid = statefulSet.getMetadata().getUid();
    List<PodState> podStates = new ArrayList<>();
    for (Pod pod : pods.getStore().list()) {
      if (StatefulSets.ownedBy(pod, uid)) {
        podStates.add(PodState.of(pod, name, container));
      }
    }
    podStates.sort(Comparator.comparingInt(PodState::ordinal));
    return RolloutCheck.evaluate(
        StatefulSetState.of(statefulSet), podStates, partition, revisionsBefore);
  }

  /** Returns a one-line state, logged only when it differs from the previous one. */
  static String progressLine(RolloutProgress progress) {
    StatefulSetState state = progress.statefulSet();
    long ready = progress.pods().stream().filter(PodState::ready).count();
    String counts;
    if (state.updatePending()) {
      counts =
          progress.canaryCount()
              + " of "
              + state.replicas()
              + " pods on update revision "
              + state.updateRevision()
              + ", "
              + ready
              + " Ready";
    } else {
      long onRevision =
          progress.pods().stream()
              .filter(pod -> pod.revision().equals(state.updateRevision()))
              .count();
      counts =
          onRevision
              + " of "
              + state.replicas()
              + " pods on revision "
              + state.updateRevision()
              + ", "
              + ready
              + " Ready";
    }
    if (progress.failed()) {
      return counts + "; failed: " + progress.failure();
    }
    if (progress.complete()) {
      return counts + "; rollout complete";
    }
    return counts + "; waiting: " + progress.pending().get(0);
  }

  private RolloutTimeoutException timeout(RolloutProgress progress, Duration timeout) {
    List<String> details = new ArrayList<>(progress.pending());
    for (PodState pod : progress.pods()) {
      if (!pod.ready()) {
        String reason =
            pod.message().isEmpty() ? pod.status() : pod.status() + ": " + pod.message();
        details.add(pod.name() + " not Ready: " + reason + lastEvent(progress, pod));
      }
    }
    String message =
        "Rollout of statefulset/"
            + progress.statefulSet().name()
            + " in namespace "
            + progress.statefulSet().namespace()
            + " timed out after "
            + timeout.toSeconds()
            + " s: "
            + progress.pending().get(0)
            + ". Inspect with 'kubectl describe pod' or raise -Dcanary.timeout.";
    return new RolloutTimeoutException(message, progress, details);
  }

  private String lastEvent(RolloutProgress progress, PodState pod) {
    try {
      List<Event> events =
          client
              .v1()
              .events()
              .inNamespace(progress.statefulSet().namespace())
              .withField("involvedObject.name", pod.name())
              .list()
              .getItems();
      return events.stream()
          .max(Comparator.comparing(RolloutWatcher::eventTime))
          .map(event -> "; last event: " + event.getReason() + ": " + event.getMessage())
          .orElse("");
    } catch (KubernetesClientException e) {
      log.debug("Failed to list events of pod " + pod.name() + ": " + e.getMessage());
      return "";
    }
  }

  private static String eventTime(Event event) {
    if (event.getLastTimestamp() != null) {
      return event.getLastTimestamp();
    }
    return event.getMetadata().getCreationTimestamp() == null
        ? ""
        : event.getMetadata().getCreationTimestamp();
  }

  /** Releases a permit on every informer event, so the waiting thread re-evaluates. */
  private static final class SignalingHandler implements ResourceEventHandler<HasMetadata> {
    private final Semaphore changes;

    SignalingHandler(Semaphore changes) {
      this.changes = changes;
    }

    @Override
    public void onAdd(HasMetadata resource) {
      changes.release();
    }

    @Override
    public void onUpdate(HasMetadata before, HasMetadata after) {
      changes.release();
    }

    @Override
    public void onDelete(HasMetadata resource, boolean finalStateUnknown) {
      changes.release();
    }
  }
}
