package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.StatusReport;
import java.time.Instant;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows a StatefulSet's rollout without changing anything: phase, revisions, partition, replica
 * counts and a table of pods.
 */
@Mojo(name = "status", threadSafe = true, requiresProject = false)
public class StatusMojo extends AbstractClusterMojo {

  /**
   * Output format: {@code text} for the build log, or {@code json}, printed as one line to standard
   * output for pipelines (combine with {@code mvn -q}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.output", defaultValue = "text")
  String output;

  /**
   * Container whose image the pod table shows; the first one when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.container")
  String container;

  @Override
  String goal() {
    return "status";
  }

  @Override
  boolean recordsRun() {
    return false;
  }

  @Override
  void validateParameters() throws MojoFailureException {
    super.validateParameters();
    if (!"text".equals(output) && !"json".equals(output)) {
      throw new MojoFailureException(
          "Invalid output '" + output + "': expected text or json. Fix -Dcanary.output.");
    }
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report) {
    StatusReport status = StatusReport.read(connection, statefulSet, container);
    Instant now = Instant.now();
    if ("json".equals(output)) {
      System.out.println(
          connection.client().getKubernetesSerialization().asJson(status.toMap(now)));
      return;
    }
    for (String line : status.toLines(now)) {
      getLog().info(line);
    }
  }
}
