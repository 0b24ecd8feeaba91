package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterAccessException;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.CanaryDeployer;
import io.github.stscanary.canary.rollout.CanaryFailedException;
import io.github.stscanary.canary.rollout.CanaryRequest;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RollbackService;
import io.github.stscanary.canary.rollout.RolloutException;
import io.github.stscanary.canary.rollout.RolloutProgress;
import io.github.stscanary.canary.rollout.RolloutTimeoutException;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs a canary: sets the container image and the partition of a StatefulSet in one patch, so that
 * pods with an ordinal at or above the partition move to the image, then waits until they are Ready
 * and the pods below still run the stable revision.
 */
@Mojo(name = "deploy", threadSafe = true, requiresProject = false)
public class DeployMojo extends AbstractClusterMojo {

  /**
   * First ordinal that gets the new image: with 5 replicas, partition 3 moves pods 3 and 4. Between
   * 0 (all pods) and the number of replicas (none). Also read from {@code -Dpartition}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.partition")
  String partition;

  /**
   * Image to deploy, with tag or digest. Without either, or when unset, the image that {@code
   * canary:build} recorded in {@code imageRecord}. {@code -Dcanary.image} on the command line
   * takes precedence over {@code <image>} in the POM, which names the repository that {@code
   * canary:build} pushes to.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.image")
  String image;

  /**
   * File where {@code canary:build} records the image it pushed.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "canary.imageRecord",
      defaultValue = "${project.build.directory}/canary/image.json")
  File imageRecord;

  /**
   * Container whose image is set. May be left unset when the pod template has one container.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.container")
  String container;

  /**
   * Rolls the StatefulSet back to its stable revision when the canary fails (a canary pod stuck, or
   * the timeout passed). The build still fails, naming the reason and what was rolled back.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.rollbackOnFailure", defaultValue = "true")
  boolean rollbackOnFailure;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Override
  String goal() {
    return "deploy";
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report)
      throws MojoFailureException, IOException, InterruptedException {
    CanaryRequest request =
        new CanaryRequest(
            statefulSet,
            container,
            resolveImage(),
            Partitions.resolve(partition, session),
            rolloutTimeout());
    report.addImage(request.image());
    Instant start = report.now();
    String step = "image " + request.image() + ", partition " + request.partition();
    RolloutProgress progress;
    try {
      progress = new CanaryDeployer(connection, log).deploy(request);
      report.addStep(step, start, progress);
    } catch (CanaryFailedException | RolloutTimeoutException e) {
      e.progress().ifPresent(last -> report.addStep(step + " (failed)", start, last));
      if (!rollbackOnFailure) {
        for (String line : e.details()) {
          getLog().error(line);
        }
        throw new MojoFailureException(
            e.getMessage()
                + " The canary stays as it is (canary.rollbackOnFailure=false); roll it back with"
                + " 'mvn canary:rollback'.",
            e);
      }
      throw rollBack(connection, log, report, e);
    }
    for (String line : PodTable.format(progress, Instant.now())) {
      getLog().info(line);
    }
    getLog().info(PodTable.summary(progress, request.image()));
  }

  private MojoFailureException rollBack(
      ClusterConnection connection, ProgressLog log, RunReport report, RolloutException failure)
      throws InterruptedException {
    for (String line : failure.details()) {
      getLog().error(line);
    }
    getLog().warn("Canary failed; rolling back because canary.rollbackOnFailure is true");
    Instant start = report.now();
    try {
      RollbackService.RollbackResult result =
          new RollbackService(connection, log)
              .rollback(statefulSet, container, 0, rolloutTimeout());
      report.addStep(
          "automatic rollback to revision " + result.stableRevision(), start, result.progress());
      String outcome = Rollbacks.describe(statefulSet, result);
      getLog().info(outcome);
      getLog().debug(failure);
      return new MojoFailureException(failure.getMessage() + " " + outcome + ".");
    } catch (RolloutException | ClusterAccessException rollbackFailure) {
      return new MojoFailureException(
          failure.getMessage()
              + " The automatic rollback failed too: "
              + rollbackFailure.getMessage(),
          failure);
    }
  }

  private String resolveImage() throws MojoFailureException, IOException {
    return DeployImages.resolve(DeployImages.requested(image, session), imageRecord, getLog())
        .orElseThrow(
            () ->
                new MojoFailureException(
                    "No image to deploy: -Dcanary.image is unset and "
                        + imageRecord
                        + " does not exist. Run canary:build first, or set"
                        + " -Dcanary.image=REGISTRY/REPOSITORY:TAG."));
  }
}
