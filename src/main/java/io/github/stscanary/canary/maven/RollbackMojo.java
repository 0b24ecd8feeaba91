package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RollbackService;
import java.time.Instant;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Rolls a canary back: restores the pod template of the stable revision ({@code
 * status.currentRevision}), deletes pods stuck on the bad revision, and waits until every pod is
 * Ready on the stable revision. PersistentVolumeClaims are never deleted.
 */
@Mojo(name = "rollback", threadSafe = true, requiresProject = false)
public class RollbackMojo extends AbstractClusterMojo {

  /**
   * Partition to set together with the restored template.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.rollbackPartition", defaultValue = "0")
  int rollbackPartition;

  /**
   * Container whose image the pod table shows; the first one when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.container")
  String container;

  @Override
  String goal() {
    return "rollback";
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report)
      throws InterruptedException {
    Instant start = report.now();
    RollbackService.RollbackResult result =
        new RollbackService(connection, log)
            .rollback(statefulSet, container, rollbackPartition, rolloutTimeout());
    report.addStep("rollback to revision " + result.stableRevision(), start, result.progress());
    for (String line : PodTable.format(result.progress(), Instant.now())) {
      getLog().info(line);
    }
    getLog().info(Rollbacks.describe(statefulSet, result));
  }
}
