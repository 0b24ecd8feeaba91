package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.Durations;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterAccessException;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.ConnectionSettings;
import io.github.stscanary.canary.kube.ManifestException;
import io.github.stscanary.canary.kube.RolloutLease;
import io.github.stscanary.canary.report.ReportWriter;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.RolloutException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Parameters and error handling shared by the goals that talk to the cluster: connection, target
 * StatefulSet, timeout and skip.
 */
abstract class AbstractClusterMojo extends AbstractMojo {

  /**
   * Kubeconfig file. When unset, the file is found as kubectl finds it: {@code KUBECONFIG}, then
   * {@code ~/.kube/config}, then the in-cluster service account.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.kubeconfig")
  File kubeconfig;

  /**
   * Kubeconfig context. When unset, the kubeconfig's current context.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.context")
  String context;

  /**
   * Namespace of the StatefulSet. When unset, the context's namespace, else {@code default}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.namespace")
  String namespace;

  /**
   * Name of the StatefulSet.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.statefulSet", defaultValue = "${project.artifactId}")
  String statefulSet;

  /**
   * How long to wait for the pods, as seconds ({@code 300}), with a unit ({@code 30s}, {@code 5m})
   * or in ISO-8601 ({@code PT5M}). A StatefulSet has no progress deadline of its own.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.timeout", defaultValue = "5m")
  String timeout;

  /**
   * Timeout of one API request, in the same forms as {@code timeout}. An API server that is
   * unreachable or does not respond when the goal starts fails it after at most this long. Later
   * failed requests are retried with backoff, so a restarting API server does not end the goal.
   * {@code canary:deploy} uses it for each request of its image check too.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.requestTimeout", defaultValue = "30s")
  String requestTimeout;

  /**
   * How long the rollout lock ({@code coordination.k8s.io} Lease {@code <statefulSet>-canary-lock})
   * stays valid without renewal. The goals that change the StatefulSet renew it while they run and
   * delete it when they end, so this matters only when a run dies without cleaning up: another run
   * may take the lock over after this long.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.leaseDuration", defaultValue = "60s")
  String leaseDuration;

  /**
   * Folder for {@code report.json} and {@code report.md} of the run. When {@code
   * GITHUB_STEP_SUMMARY} names a file, the Markdown report is appended to it too.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "canary.reportDirectory",
      defaultValue = "${project.build.directory}/canary")
  File reportDirectory;

  /**
   * Skips the goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.skip", defaultValue = "false")
  boolean skip;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping canary:" + goal() + " (canary.skip=true)");
      return;
    }
    try {
      validateParameters();
    } catch (IllegalArgumentException e) {
      throw userFailure(e);
    }
    ProgressLog progressLog = new MavenProgressLog(getLog());
    try (ClusterConnection connection = ClusterConnection.open(connectionSettings())) {
      getLog().info("Connecting to " + connection.describe());
      for (String warning : connection.insecureSettings()) {
        getLog().warn(warning);
      }
      connection.requireReachable();
      RunReport report = RunReport.start("canary:" + goal(), connection.namespace(), statefulSet);
      if (recordsRun()) {
        runRecorded(connection, progressLog, report);
      } else {
        run(connection, progressLog, report);
      }
    } catch (RolloutException e) {
      for (String line : e.details()) {
        getLog().error(line);
      }
      throw userFailure(e);
    } catch (ClusterAccessException | ManifestException | IllegalArgumentException e) {
      throw userFailure(e);
    } catch (IOException e) {
      throw new MojoExecutionException("canary:" + goal() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("canary:" + goal() + " was interrupted", e);
    }
  }

  // Holds the rollout lock while the goal runs, and writes the report however the run ends,
  // including Ctrl-C, which runs the JVM's shutdown hooks.
  private void runRecorded(ClusterConnection connection, ProgressLog log, RunReport report)
      throws MojoExecutionException, MojoFailureException, IOException, InterruptedException {
    ReportWriter writer = new ReportWriter(reportDirectory.toPath());
    Thread interrupted =
        new Thread(
            () -> {
              if (report.fail("interrupted: the JVM is shutting down (Ctrl-C or SIGTERM)")) {
                getLog()
                    .warn(
                        "canary:"
                            + goal()
                            + " interrupted; statefulset/"
                            + statefulSet
                            + " stays as it is now. Check it with 'mvn canary:status' and run"
                            + " the goal again to continue.");
                writeReport(writer, report);
              }
            },
            "canary-report-on-shutdown");
    Runtime.getRuntime().addShutdownHook(interrupted);
    try {
      prepare(connection, log);
    } catch (RuntimeException e) {
      removeHook(interrupted);
      throw e;
    }
    try (RolloutLease lease =
        RolloutLease.acquire(
            connection,
            statefulSet,
            goal(),
            Durations.parse(leaseDuration, "canary.leaseDuration"),
            log)) {
      run(connection, log, report);
      if (lease.lost()) {
        getLog().warn("The rollout lock " + lease.name() + " was taken over during the run");
      }
      report.succeed();
    } catch (MojoExecutionException
        | MojoFailureException
        | IOException
        | InterruptedException
        | RuntimeException e) {
      report.fail(e.getMessage());
      throw e;
    } finally {
      removeHook(interrupted);
      writeReport(writer, report);
    }
  }

  private void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      getLog().debug("JVM is shutting down; the report hook stays registered");
    }
  }

  private void writeReport(ReportWriter writer, RunReport report) {
    try {
      List<Path> files = writer.write(report);
      getLog().info("Report: " + files.get(0).getParent());
    } catch (IOException e) {
      getLog().warn("Failed to write the run report to " + reportDirectory + ": " + e.getMessage());
    }
  }

  /**
   * Returns a failure with the message alone. Maven prints the messages of the whole cause chain
   * after the goal's, and the fabric8 exception at the end of it repeats the request and the raw
   * Status object, so the cause goes to the debug log instead.
   */
  MojoFailureException userFailure(RuntimeException e) {
    getLog().debug(e);
    return new MojoFailureException(e.getMessage());
  }

  /**
   * Rejects parameters that are invalid on their own, before any request reaches the cluster. Goals
   * that override it call this implementation, which checks the durations.
   *
   * @throws IllegalArgumentException for a value whose message names the parameter and the fix
   */
  void validateParameters() throws MojoFailureException {
    rolloutTimeout();
    Durations.parse(requestTimeout, "canary.requestTimeout");
    Durations.parse(leaseDuration, "canary.leaseDuration");
  }

  /**
   * Runs before the rollout lock is taken, for what the lock itself needs, such as the namespace
   * that holds the Lease. Does nothing by default.
   */
  void prepare(ClusterConnection connection, ProgressLog log) {}

  /**
   * Returns whether the goal changes the StatefulSet, so it holds the rollout lock and writes a
   * report. Read-only goals return false.
   */
  boolean recordsRun() {
    return true;
  }

  /** Returns the goal name for log lines, without the prefix. */
  abstract String goal();

  abstract void run(ClusterConnection connection, ProgressLog log, RunReport report)
      throws MojoExecutionException, MojoFailureException, IOException, InterruptedException;

  ConnectionSettings connectionSettings() {
    return new ConnectionSettings(
        kubeconfig == null ? null : kubeconfig.toPath(),
        context,
        namespace,
        Durations.parse(requestTimeout, "canary.requestTimeout"));
  }

  Duration rolloutTimeout() {
    return Durations.parse(timeout, "canary.timeout");
  }
}
