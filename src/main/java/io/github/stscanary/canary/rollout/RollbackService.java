package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.KubeErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Restores a StatefulSet's stable pod template and waits until every pod runs it.
 *
 * <p>The stable template is the ControllerRevision named by {@code status.currentRevision}. Its
 * {@code data} is a strategic merge patch that replaces {@code spec.template}, which is also how
 * {@code kubectl rollout undo} restores a revision. A pod that never became Ready on the bad
 * revision is not replaced by the controller after the revert, so such pods are deleted: the
 * controller recreates them on the stable revision. PersistentVolumeClaims are never deleted.
 */
public final class RollbackService {

  private final ClusterConnection connection;
  private final ProgressLog log;

  public RollbackService(ClusterConnection connection, ProgressLog log) {
    this.connection = connection;
    this.log = log;
  }

  /** Outcome of a rollback: the revision it restored, the pods it deleted and the final rollout. */
  public record RollbackResult(
      String stableRevision,
      String revertedRevision,
      List<String> deletedPods,
      RolloutProgress progress) {}

  /**
   * Rolls back and waits.
   *
   * @param partition partition to set with the restored template
   * @throws RolloutException when there is no stable revision or the pods do not recover
   */
  public RollbackResult rollback(String name, String container, int partition, Duration timeout)
      throws InterruptedException {
    StatefulSet statefulSet = StatefulSets.require(connection, name);
    StatefulSetState state = StatefulSetState.of(statefulSet);
    if (partition < 0 || partition > state.replicas()) {
      throw new RolloutException(
          "Invalid partition "
              + partition
              + " for the rollback: it must be between 0 and "
              + state.replicas()
              + ". Fix -Dpartition.");
    }
    String stable = state.currentRevision();
    String bad = state.updateRevision();
    if (stable.isEmpty()) {
      throw new RolloutException(
          "StatefulSet "
              + name
              + " has no status.currentRevision yet, so there is no stable revision to restore.");
    }

    if (state.updatePending()) {
      ControllerRevision revision = controllerRevision(stable);
      log.info("Restoring the pod template of revision " + stable + " (replacing " + bad + ")");
      patch(statefulSet, revision, partition);
      statefulSet = awaitRevert(name, stable, timeout);
    } else {
      log.info("Template already on the stable revision " + stable + "; checking the pods");
    }

    List<String> deleted = deleteStuckPods(statefulSet, stable);
    RolloutWatcher watcher = new RolloutWatcher(connection.client(), log);
    RolloutProgress progress =
        watcher.await(connection.namespace(), name, container, partition, Map.of(), timeout);
    if (progress.failed()) {
      throw new RolloutException(
          "Rollback of statefulset/"
              + name
              + " did not recover: "
              + progress.failure()
              + ". Inspect with 'kubectl describe pod "
              + progress.failedPods().get(0).name()
              + " -n "
              + connection.namespace()
              + "'.",
          progress,
          List.of());
    }
    return new RollbackResult(stable, state.updatePending() ? bad : "", deleted, progress);
  }

  // Pods deleted before the controller has seen the restored template could be recreated on the
  // bad revision, so wait until the update revision is the stable one again.
  private StatefulSet awaitRevert(String name, String stable, Duration timeout) {
    try {
      return connection
          .client()
          .apps()
          .statefulSets()
          .inNamespace(connection.namespace())
          .withName(name)
          .waitUntilCondition(
              current -> {
                StatefulSetState state = StatefulSetState.of(current);
                return state.observed() && stable.equals(state.updateRevision());
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new RolloutException(
          "The StatefulSet controller did not adopt revision "
              + stable
              + " of statefulset/"
              + name
              + " within "
              + timeout.toSeconds()
              + " s. Check the kube-controller-manager, then run canary:rollback again.");
    }
  }

  private ControllerRevision controllerRevision(String revisionName) {
    ControllerRevision revision;
    try {
      revision =
          connection
              .client()
              .apps()
              .controllerRevisions()
              .inNamespace(connection.namespace())
              .withName(revisionName)
              .get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "get", "controllerrevisions", connection.namespace());
    }
    if (revision == null || revision.getData() == null) {
      throw new RolloutException(
          "ControllerRevision "
              + revisionName
              + " not found in namespace "
              + connection.namespace()
              + ", so the stable template cannot be restored. Re-apply the stable manifests with"
              + " canary:apply.");
    }
    return revision;
  }

  @SuppressWarnings("unchecked")
  private void patch(StatefulSet statefulSet, ControllerRevision revision, int partition) {
    Map<String, Object> body =
        new HashMap<>(
            connection
                .client()
                .getKubernetesSerialization()
                .convertValue(revision.getData(), Map.class));
    Map<String, Object> spec = new HashMap<>((Map<String, Object>) body.get("spec"));
    spec.put(
        "updateStrategy",
        Map.of(
            "type",
            StatefulSetState.ROLLING_UPDATE,
            "rollingUpdate",
            Map.of("partition", partition)));
    body.put("spec", spec);
    body.put("metadata", Map.of("resourceVersion", statefulSet.getMetadata().getResourceVersion()));
    String json = connection.client().getKubernetesSerialization().asJson(body);
    try {
      connection
          .client()
          .apps()
          .statefulSets()
          .inNamespace(connection.namespace())
          .withName(statefulSet.getMetadata().getName())
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), json);
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "patch", "statefulsets", connection.namespace());
    }
  }

  // Only pods off the stable revision that are not Ready: a Ready pod on the bad revision is
  // replaced by the controller's own rolling update, one at a time.
  private List<String> deleteStuckPods(StatefulSet statefulSet, String stable) {
    List<Pod> pods = StatefulSets.ownedPods(connection, statefulSet);
    String name = statefulSet.getMetadata().getName();
    List<String> deleted = new ArrayList<>();
    for (Pod pod : pods) {
      PodState podState = PodState.of(pod, name, null);
      if (podState.ordinal() < 0 || podState.ready() || podState.revision().equals(stable)) {
        continue;
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      log.info(
          "Deleting pod "
              + podState.name()
              + " (revision "
              + podState.revision()
              + ", "
              + podState.status()
              + "), which the controller would not replace");
      try {
        connection.client().pods().inNamespace(connection.namespace()).resource(pod).delete();
      } catch (KubernetesClientException e) {
        throw KubeErrors.translate(e, "delete", "pods", connection.namespace());
      }
      deleted.add(podState.name());
    }
    return deleted;
  }
}
