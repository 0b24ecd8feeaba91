package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.UndeployService;
import java.time.Instant;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deletes the StatefulSet and its Service. PersistentVolumeClaims and the namespace stay unless
 * asked for.
 */
@Mojo(name = "undeploy", threadSafe = true, requiresProject = false)
public class UndeployMojo extends AbstractClusterMojo {

  /**
   * Service to delete. Defaults to the StatefulSet's {@code spec.serviceName}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.serviceName")
  String serviceName;

  /**
   * Also deletes the PersistentVolumeClaims made from the StatefulSet's volumeClaimTemplates, and
   * with them the data. When false, a claim retention policy of {@code Delete} is switched to
   * {@code Retain} before the StatefulSet is deleted.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.deleteVolumes", defaultValue = "false")
  boolean deleteVolumes;

  /**
   * Also deletes the namespace, with everything in it.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.deleteNamespace", defaultValue = "false")
  boolean deleteNamespace;

  @Override
  String goal() {
    return "undeploy";
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report) {
    Instant start = report.now();
    List<String> deleted =
        new UndeployService(connection, log)
            .undeploy(
                new UndeployService.UndeployRequest(
                    statefulSet, serviceName, deleteVolumes, deleteNamespace));
    report.addStep(
        deleted.isEmpty() ? "nothing to delete" : "deleted " + String.join(", ", deleted), start);
    getLog()
        .info(deleted.isEmpty() ? "Nothing to delete" : "Deleted " + String.join(", ", deleted));
  }
}
