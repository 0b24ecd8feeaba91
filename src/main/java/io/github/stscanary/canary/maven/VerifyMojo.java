package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Checks what a StatefulSet serves without changing it: requests a page from each pod through the
 * API server's pod proxy and many times through its Service, and matches each body against the
 * pattern of the pod's role, canary or stable.
 */
@Mojo(name = "verify", threadSafe = true, requiresProject = false)
public class VerifyMojo extends AbstractVerifyingMojo {

  @Override
  String goal() {
    return "verify";
  }

  @Override
  boolean recordsRun() {
    return false;
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report)
      throws InterruptedException {
    verifyPages(connection, log, report, verifyRequest());
  }
}
