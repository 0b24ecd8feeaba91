package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.ManifestLoader;
import io.github.stscanary.canary.kube.ResourceApplier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies manifests (or generated resources) with server-side apply, then waits until each
 * StatefulSet has all its replicas Ready on the revision that its partition selects.
 */
public final class ApplyService {

  private final ClusterConnection connection;
  private final ProgressLog log;

  public ApplyService(ClusterConnection connection, ProgressLog log) {
    this.connection = connection;
    this.log = log;
  }

  /** Applies and waits; returns the rollout of each StatefulSet that was applied. */
  public List<RolloutProgress> apply(ApplyRequest request)
      throws IOException, InterruptedException {
    List<HasMetadata> resources = resources(request);
    ResourceApplier applier = new ResourceApplier(connection, log);
    applier.ensureNamespace(connection.namespace());

    List<StatefulSet> statefulSets = new ArrayList<>();
    for (HasMetadata resource : resources) {
      HasMetadata applied = applier.apply(resource);
      if (applied instanceof StatefulSet statefulSet) {
        statefulSets.add(statefulSet);
      }
    }

    RolloutWatcher watcher = new RolloutWatcher(connection.client(), log);
    List<RolloutProgress> rollouts = new ArrayList<>();
    for (StatefulSet statefulSet : statefulSets) {
      StatefulSetState state = StatefulSetState.of(statefulSet);
      RolloutProgress progress =
          watcher.await(
              connection.namespace(),
              state.name(),
              null,
              state.partition(),
              Map.of(),
              request.timeout());
      if (progress.failed()) {
        throw new RolloutException(
            "StatefulSet "
                + state.name()
                + " did not become Ready: "
                + progress.failure()
                + ". Inspect with 'kubectl describe pod "
                + progress.failedPods().get(0).name()
                + " -n "
                + connection.namespace()
                + "'.",
            progress,
            List.of());
      }
      rollouts.add(progress);
    }
    return rollouts;
  }

  private List<HasMetadata> resources(ApplyRequest request) throws IOException {
    List<Path> files = ManifestLoader.manifestFiles(request.manifests());
    if (files.isEmpty()) {
      log.info(
          "No manifests in "
              + request.manifests()
              + "; generating statefulset/"
              + request.generated().name()
              + " and service/"
              + request.generated().serviceName());
      return request.generated().build();
    }
    ManifestLoader loader = new ManifestLoader(connection.client());
    List<HasMetadata> resources = new ArrayList<>();
    for (Path file : files) {
      List<HasMetadata> loaded = loader.load(file, request.placeholders());
      log.debug("Read " + loaded.size() + " resources from " + file);
      resources.addAll(loaded);
    }
    return resources;
  }
}
