package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.KubeErrors;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one canary step: validates the request against the StatefulSet, sets the image and the
 * partition in one patch, and waits until the pods match.
 */
public final class CanaryDeployer {

  /** Patches that fail with 409 Conflict are re-read and retried this many times. */
  static final int MAX_CONFLICT_RETRIES = 3;

  private final ClusterConnection connection;
  private final ProgressLog log;
  private final ImageCheck imageCheck;

  public CanaryDeployer(ClusterConnection connection, ProgressLog log) {
    this(connection, log, ImageCheck.NONE);
  }

  /**
   * Creates a deployer that runs {@code imageCheck} on a new image after validating the request
   * against the StatefulSet and before patching it.
   */
  public CanaryDeployer(ClusterConnection connection, ProgressLog log, ImageCheck imageCheck) {
    this.connection = connection;
    this.log = log;
    this.imageCheck = imageCheck;
  }

  /**
   * Runs the step and returns the complete rollout.
   *
   * @throws RolloutException when the request is invalid or the image check fails (nothing was
   *     changed then), or a canary pod is stuck
   * @throws RolloutTimeoutException when the pods do not match before the timeout
   */
  public RolloutProgress deploy(CanaryRequest request) throws InterruptedException {
    if (request.image() != null) {
      ImageReferences.requireValid(request.image());
    }
    StatefulSet statefulSet = StatefulSets.require(connection, request.statefulSet());
    String container = StatefulSets.resolveContainer(statefulSet, request.container());
    validatePartition(statefulSet, request.partition());
    if (request.image() != null
        && !request.image().equals(StatefulSets.container(statefulSet, container).getImage())) {
      imageCheck.requireExists(request.image());
    }

    Map<String, String> revisionsBefore = podRevisions(statefulSet);
    StatefulSetState before = StatefulSetState.of(statefulSet);
    String change =
        request.image() == null
            ? "partition " + before.partition() + " to " + request.partition()
            : "image "
                + request.image()
                + " on container "
                + container
                + " and partition "
                + request.partition();
    log.info(
        "Setting "
            + change
            + " of statefulset/"
            + request.statefulSet()
            + " (stable revision "
            + (before.currentRevision().isEmpty() ? "none yet" : before.currentRevision())
            + ")");
    patch(request, statefulSet, container);

    RolloutWatcher watcher = new RolloutWatcher(connection.client(), log);
    RolloutProgress progress =
        watcher.await(
            connection.namespace(),
            request.statefulSet(),
            container,
            request.partition(),
            revisionsBefore,
            request.timeout());
    if (progress.failed()) {
      throw failed(progress);
    }
    return progress;
  }

  private void validatePartition(StatefulSet statefulSet, int partition) {
    StatefulSetState state = StatefulSetState.of(statefulSet);
    if (!StatefulSetState.ROLLING_UPDATE.equals(state.strategy())) {
      throw new RolloutException(
          "StatefulSet "
              + state.name()
              + " uses updateStrategy "
              + state.strategy()
              + ", but a partition applies only to RollingUpdate. Set"
              + " spec.updateStrategy.type: RollingUpdate in its manifest and run canary:apply.");
    }
    if (partition < 0 || partition > state.replicas()) {
      throw new RolloutException(
          "Invalid partition "
              + partition
              + ": it must be between 0 and "
              + state.replicas()
              + " (spec.replicas of statefulset/"
              + state.name()
              + "). Set -Dpartition=N, where pods with ordinal N and above get the new image.");
    }
  }

  private Map<String, String> podRevisions(StatefulSet statefulSet) {
    Map<String, String> revisions = new HashMap<>();
    List<Pod> pods = StatefulSets.ownedPods(connection, statefulSet);
    for (Pod pod : pods) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      revisions.put(pod.getMetadata().getName(), labels.getOrDefault(PodState.REVISION_LABEL, ""));
    }
    return revisions;
  }

  // One strategic merge patch carries both fields, so the controller never sees the new image
  // with the old partition. The resourceVersion makes the API server reject it with 409 Conflict
  // when another client changed the StatefulSet since it was read.
  private void patch(CanaryRequest request, StatefulSet statefulSet, String container) {
    StatefulSet current = statefulSet;
    for (int attempt = 0; ; attempt++) {
      if (alreadyApplied(current, container, request)) {
        log.info("Image and partition already set; checking the pods");
        return;
      }
      try {
        resource(request.statefulSet())
            .patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE), patchBody(current, container, request));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_CONFLICT_RETRIES) {
          throw KubeErrors.translate(e, "patch", "statefulsets", connection.namespace());
        }
        String oldVersion = current.getMetadata().getResourceVersion();
        current = StatefulSets.require(connection, request.statefulSet());
        log.warn(
            "StatefulSet "
                + request.statefulSet()
                + " was changed by another client (resourceVersion "
                + oldVersion
                + " to "
                + current.getMetadata().getResourceVersion()
                + "); re-reading and retrying the patch");
        StatefulSets.resolveContainer(current, container);
        validatePartition(current, request.partition());
      }
    }
  }

  private static boolean alreadyApplied(
      StatefulSet statefulSet, String container, CanaryRequest request) {
    StatefulSetState state = StatefulSetState.of(statefulSet);
    Container target = StatefulSets.container(statefulSet, container);
    boolean imageSet = request.image() == null || request.image().equals(target.getImage());
    return state.partition() == request.partition() && imageSet;
  }

  String patchBody(StatefulSet statefulSet, String container, CanaryRequest request) {
    Map<String, Object> rollingUpdate = Map.of("partition", request.partition());
    Map<String, Object> strategy =
        Map.of("type", StatefulSetState.ROLLING_UPDATE, "rollingUpdate", rollingUpdate);
    Map<String, Object> spec = new HashMap<>();
    spec.put("updateStrategy", strategy);
    if (request.image() != null) {
      Map<String, Object> target = Map.of("name", container, "image", request.image());
      spec.put("template", Map.of("spec", Map.of("containers", List.of(target))));
    }
    Map<String, Object> body =
        Map.of(
            "metadata",
            Map.of("resourceVersion", statefulSet.getMetadata().getResourceVersion()),
            "spec",
            spec);
    return connection.client().getKubernetesSerialization().asJson(body);
  }

  private RollableScalableResource<StatefulSet> resource(String name) {
    return connection
        .client()
        .apps()
        .statefulSets()
        .inNamespace(connection.namespace())
        .withName(name);
  }

  private CanaryFailedException failed(RolloutProgress progress) {
    StringBuilder pods = new StringBuilder();
    for (PodState pod : progress.failedPods()) {
      if (pods.length() > 0) {
        pods.append(", ");
      }
      pods.append(pod.name()).append(" (").append(pod.status());
      if (!pod.message().isEmpty()) {
        pods.append(": ").append(pod.message());
      }
      pods.append(")");
    }
    String message =
        "Canary of statefulset/"
            + progress.statefulSet().name()
            + " failed: "
            + progress.failure()
            + ": "
            + pods
            + ". Inspect with 'kubectl describe pod "
            + progress.failedPods().get(0).name()
            + " -n "
            + progress.statefulSet().namespace()
            + "'.";
    return new CanaryFailedException(message, progress, PodTable.format(progress, Instant.now()));
  }
}
