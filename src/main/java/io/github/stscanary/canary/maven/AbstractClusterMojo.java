package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.Durations;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterAccessException;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.ConnectionSettings;
import io.github.stscanary.canary.kube.ManifestException;
import io.github.stscanary.canary.rollout.RolloutException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
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
   * Timeout of one API request, in the same forms as {@code timeout}. An unreachable API server
   * fails the goal after this long.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.requestTimeout", defaultValue = "30s")
  String requestTimeout;

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
    ProgressLog progressLog = new MavenProgressLog(getLog());
    try (ClusterConnection connection = ClusterConnection.open(connectionSettings())) {
      getLog().info("Connecting to " + connection.describe());
      run(connection, progressLog);
    } catch (RolloutException e) {
      for (String line : e.details()) {
        getLog().error(line);
      }
      throw new MojoFailureException(e.getMessage(), e);
    } catch (ClusterAccessException | ManifestException | IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("canary:" + goal() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("canary:" + goal() + " was interrupted", e);
    }
  }

  /** Returns the goal name for log lines, without the prefix. */
  abstract String goal();

  abstract void run(ClusterConnection connection, ProgressLog log)
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
