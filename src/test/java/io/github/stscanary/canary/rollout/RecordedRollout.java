package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The StatefulSet {@code shop/web} (5 replicas, container {@code app}) and its pods, as {@code
 * kubectl get statefulset,pods -o yaml} printed them, with edits for the case under test.
 */
record RecordedRollout(StatefulSet statefulSet, List<Pod> pods) {

  static final String NAME = "web";
  static final String CONTAINER = "app";
  static final String STABLE_REVISION = "web-6d8f7c9b5d";
  static final String UPDATE_REVISION = "web-7f9c6b8d4c";
  static final String STABLE_IMAGE = "127.0.0.1:5000/shop/web:v1";
  static final String UPDATE_IMAGE = "127.0.0.1:5000/shop/web:v2";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Returns partition 3 reached: web-3 and web-4 Ready on the update revision, web-0 to web-2 on
   * the stable one.
   */
  static RecordedRollout partitionThreeComplete() {
    return load("/rollout/web-partition-3-complete.yaml");
  }

  /**
   * Returns partition 3 in progress: web-4 on the update revision in CrashLoopBackOff, and web-3
   * still on the stable revision because the controller waits for web-4 to become Ready.
   */
  static RecordedRollout canaryCrashLoop() {
    return load("/rollout/web-canary-crashloop.yaml");
  }

  /**
   * Returns the rollout finished with partition 0: every pod Ready on the update revision, which
   * the controller made the current revision.
   */
  static RecordedRollout allPodsUpdated() {
    RecordedRollout rollout =
        partitionThreeComplete()
            .withPartition(0)
            .withStatefulSet(
                statefulSet ->
                    statefulSet
                        .editStatus()
                        .withCurrentRevision(UPDATE_REVISION)
                        .withCurrentReplicas(5)
                        .withUpdatedReplicas(5)
                        .endStatus());
    for (int ordinal = 0; ordinal < 3; ordinal++) {
      rollout = rollout.withPod(ordinal, onRevision(UPDATE_REVISION, UPDATE_IMAGE));
    }
    return rollout;
  }

  private static RecordedRollout load(String resource) {
    try (InputStream input = RecordedRollout.class.getResourceAsStream(resource)) {
      if (input == null) {
        throw new IllegalStateException("Test resource not found: " + resource);
      }
      KubernetesList list = SERIALIZATION.unmarshal(input, KubernetesList.class);
      StatefulSet statefulSet = null;
      List<Pod> pods = new ArrayList<>();
      for (HasMetadata item : list.getItems()) {
        if (item instanceof StatefulSet found) {
          statefulSet = found;
        } else if (item instanceof Pod pod) {
          pods.add(pod);
        }
      }
      return new RecordedRollout(statefulSet, List.copyOf(pods));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RecordedRollout withStatefulSet(UnaryOperator<StatefulSetBuilder> edit) {
    return new RecordedRollout(edit.apply(new StatefulSetBuilder(statefulSet)).build(), pods);
  }

  /** Sets {@code spec.updateStrategy.rollingUpdate.partition}, as a patch would. */
  RecordedRollout withPartition(int partition) {
    return withStatefulSet(
        statefulSet ->
            statefulSet
                .editSpec()
                .editUpdateStrategy()
                .editRollingUpdate()
                .withPartition(partition)
                .endRollingUpdate()
                .endUpdateStrategy()
                .endSpec());
  }

  RecordedRollout withPod(int ordinal, UnaryOperator<PodBuilder> edit) {
    String name = NAME + "-" + ordinal;
    List<Pod> edited = new ArrayList<>();
    for (Pod pod : pods) {
      edited.add(
          name.equals(pod.getMetadata().getName()) ? edit.apply(new PodBuilder(pod)).build() : pod);
    }
    return new RecordedRollout(statefulSet, edited);
  }

  RecordedRollout withoutPod(int ordinal) {
    String name = NAME + "-" + ordinal;
    List<Pod> remaining =
        pods.stream().filter(pod -> !name.equals(pod.getMetadata().getName())).toList();
    return new RecordedRollout(statefulSet, remaining);
  }

  /** Adds a copy of pod {@code template} renamed to ordinal {@code ordinal}. */
  RecordedRollout plusPod(int template, int ordinal) {
    Pod source = pods.get(template);
    Pod copy =
        new PodBuilder(source)
            .editMetadata()
            .withName(NAME + "-" + ordinal)
            .addToLabels("apps.kubernetes.io/pod-index", Integer.toString(ordinal))
            .addToLabels("statefulset.kubernetes.io/pod-name", NAME + "-" + ordinal)
            .endMetadata()
            .build();
    List<Pod> extended = new ArrayList<>(pods);
    extended.add(copy);
    return new RecordedRollout(statefulSet, extended);
  }

  StatefulSetState state() {
    return StatefulSetState.of(statefulSet);
  }

  List<PodState> podStates() {
    return pods.stream().map(pod -> PodState.of(pod, NAME, CONTAINER)).toList();
  }

  PodState podState(int ordinal) {
    return podStates().stream().filter(pod -> pod.ordinal() == ordinal).findFirst().orElseThrow();
  }

  RolloutProgress evaluate(int partition) {
    return evaluate(partition, Map.of());
  }

  RolloutProgress evaluate(int partition, Map<String, String> revisionsBefore) {
    return RolloutCheck.evaluate(state(), podStates(), partition, revisionsBefore);
  }

  /** Moves a pod to {@code revision}, as the controller does when it recreates it. */
  static UnaryOperator<PodBuilder> onRevision(String revision, String image) {
    return pod ->
        pod.editMetadata()
            .addToLabels(PodState.REVISION_LABEL, revision)
            .endMetadata()
            .editSpec()
            .editFirstContainer()
            .withImage(image)
            .endContainer()
            .endSpec();
  }

  /** Sets the Ready condition to False, as a failing readiness probe does. */
  static UnaryOperator<PodBuilder> notReady() {
    return pod ->
        pod.editStatus()
            .editMatchingCondition(condition -> "Ready".equals(condition.getType()))
            .withStatus("False")
            .withReason("ContainersNotReady")
            .withMessage("containers with unready status: [app]")
            .endCondition()
            .editFirstContainerStatus()
            .withReady(false)
            .endContainerStatus()
            .endStatus();
  }

  /** Puts the container in the waiting state with {@code reason}, as the kubelet reports it. */
  static UnaryOperator<PodBuilder> waiting(String reason, String message) {
    return pod ->
        notReady()
            .apply(pod)
            .editStatus()
            .editFirstContainerStatus()
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus();
  }

  /** Marks the pod as deleted but not yet gone. Its Ready condition stays True meanwhile. */
  static UnaryOperator<PodBuilder> terminating() {
    return pod ->
        pod.editMetadata()
            .withDeletionTimestamp("2025-03-10T10:05:00Z")
            .withDeletionGracePeriodSeconds(30L)
            .endMetadata();
  }
}
