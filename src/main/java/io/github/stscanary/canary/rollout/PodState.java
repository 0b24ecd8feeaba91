package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * State of one StatefulSet pod, as the rollout check reads it.
 *
 * @param name pod name, {@code <statefulset>-<ordinal>}
 * @param ordinal the pod's index in the StatefulSet
 * @param ready the Ready condition is True and the pod is not terminating
 * @param status phase, or the reason a container waits or terminated (for example {@code
 *     CrashLoopBackOff}), or {@code Terminating}
 * @param message the container status message that goes with {@code status}, or empty
 * @param restarts restart count summed over the containers
 * @param created creation time, or {@code null} when unknown
 * @param image image of the StatefulSet's container in the pod spec
 * @param revision the {@code controller-revision-hash} label, or empty
 */
public record PodState(
    String name,
    int ordinal,
    boolean ready,
    String status,
    String message,
    int restarts,
    Instant created,
    String image,
    String revision) {

  /** Label the StatefulSet controller puts on each pod, naming its ControllerRevision. */
  public static final String REVISION_LABEL = "controller-revision-hash";

  /** Container waiting reasons after which a pod will not become Ready without a change. */
  public static final List<String> STUCK_REASONS =
      List.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "ErrImageNeverPull",
          "InvalidImageName",
          "CrashLoopBackOff",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  /** Returns whether a container of this pod waits for one of the {@link #STUCK_REASONS}. */
  public boolean stuck() {
    return STUCK_REASONS.contains(status);
  }

  /**
   * Reads a pod of the StatefulSet {@code statefulSetName}.
   *
   * @param container name of the container whose image is reported; the first one when null
   */
  public static PodState of(Pod pod, String statefulSetName, String container) {
    String name = pod.getMetadata().getName();
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    List<ContainerStatus> statuses = containerStatuses(pod);

    String status = terminating ? "Terminating" : phase(pod);
    String message = "";
    Optional<ContainerStatus> blocked = statuses.stream().filter(PodState::notRunning).findFirst();
    if (!terminating && blocked.isPresent()) {
      ContainerStatus containerStatus = blocked.get();
      if (containerStatus.getState().getWaiting() != null) {
        status = orEmpty(containerStatus.getState().getWaiting().getReason(), status);
        message = orEmpty(containerStatus.getState().getWaiting().getMessage(), "");
      } else {
        status = orEmpty(containerStatus.getState().getTerminated().getReason(), status);
        message = orEmpty(containerStatus.getState().getTerminated().getMessage(), "");
      }
    }

    int restarts = 0;
    for (ContainerStatus containerStatus : statuses) {
      restarts += containerStatus.getRestartCount() == null ? 0 : containerStatus.getRestartCount();
    }

    String creation = pod.getMetadata().getCreationTimestamp();
    Instant created = creation == null ? null : Instant.parse(creation);
    String revision =
        pod.getMetadata().getLabels() == null
            ? ""
            : pod.getMetadata().getLabels().getOrDefault(REVISION_LABEL, "");
    return new PodState(
        name,
        ordinalOf(name, statefulSetName),
        !terminating && readyCondition(pod),
        status,
        message,
        restarts,
        created,
        imageOf(pod, container),
        revision);
  }

  /** Returns the ordinal in {@code <statefulSetName>-<ordinal>}, or -1 for another name. */
  public static int ordinalOf(String podName, String statefulSetName) {
    String prefix = statefulSetName + "-";
    if (!podName.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(podName.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static List<ContainerStatus> containerStatuses(Pod pod) {
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus() != null) {
      if (pod.getStatus().getInitContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
      }
      if (pod.getStatus().getContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getContainerStatuses());
      }
    }
    return statuses;
  }

  private static boolean notRunning(ContainerStatus status) {
    if (status.getState() == null) {
      return false;
    }
    if (status.getState().getWaiting() != null) {
      return true;
    }
    // A completed init container is terminated with reason Completed: that is not a failure.
    return status.getState().getTerminated() != null
        && !"Completed".equals(status.getState().getTerminated().getReason());
  }

  private static String phase(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
      return "Pending";
    }
    return pod.getStatus().getPhase();
  }

  private static boolean readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition condition : pod.getStatus().getConditions()) {
      if ("Ready".equals(condition.getType())) {
        return "True".equals(condition.getStatus());
      }
    }
    return false;
  }

  private static String imageOf(Pod pod, String container) {
    if (pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()) {
      return "";
    }
    return pod.getSpec().getContainers().stream()
        .filter(candidate -> container == null || container.equals(candidate.getName()))
        .findFirst()
        .map(candidate -> candidate.getImage())
        .orElse("");
  }

  private static String orEmpty(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
