package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.Durations;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.DockerConfigCredentials;
import io.github.stscanary.canary.kube.ClusterAccessException;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.CanaryDeployer;
import io.github.stscanary.canary.rollout.CanaryFailedException;
import io.github.stscanary.canary.rollout.CanaryRequest;
import io.github.stscanary.canary.rollout.ImageCheck;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RollbackService;
import io.github.stscanary.canary.rollout.RolloutException;
import io.github.stscanary.canary.rollout.RolloutProgress;
import io.github.stscanary.canary.rollout.RolloutTimeoutException;
import io.github.stscanary.canary.verify.VerifyRequest;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Runs a canary: sets the container image and the partition of a StatefulSet in one patch, so that
 * pods with an ordinal at or above the partition move to the image, then waits until they are Ready
 * and the pods below still run the stable revision.
 */
@Mojo(name = "deploy", threadSafe = true, requiresProject = false)
public class DeployMojo extends AbstractVerifyingMojo {

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
   * canary:build} recorded in {@code imageRecord}. {@code -Dcanary.image} on the command line takes
   * precedence over {@code <image>} in the POM, which names the repository that {@code
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

  /**
   * Runs the check of {@code canary:verify} once the rollout is complete. A failed check counts as
   * a failed canary, so {@code rollbackOnFailure} applies to it.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verify", defaultValue = "false")
  boolean verify;

  /**
   * Checks before the patch that the image's manifest exists in its registry, with one {@code HEAD}
   * request that uses the same credentials, {@code caFile}, proxies and {@code
   * allowInsecureRegistries} as {@code canary:build}. Set to {@code false} to deploy an image that
   * the cluster can pull but this machine cannot see.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verifyImage", defaultValue = "true")
  boolean verifyImage;

  /**
   * Username for the image's registry, for the image check. When unset with {@code password}, the
   * settings.xml {@code <server>} whose id is the registry host, else {@code
   * ~/.docker/config.json}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.username")
  String username;

  /**
   * Password or token for the image's registry, for the image check, also read from {@code
   * -Dcanary.password}. Prefer an encrypted settings.xml {@code <server>}. Maven prints the value
   * of this POM element at debug level ({@code -X}), but not that of {@code -Dcanary.password},
   * which the goal reads itself.
   *
   * @since 0.1.0
   */
  @Parameter String password;

  /**
   * PEM file with the CA certificates of a private registry, trusted in addition to the JVM's for
   * the image check.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.caFile")
  File caFile;

  /**
   * Lets the image check fall back to HTTPS without certificate verification, then to plain HTTP.
   * Logs a warning on every run; for a private CA, prefer {@code caFile}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.allowInsecureRegistries", defaultValue = "false")
  boolean allowInsecureRegistries;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Component SettingsDecrypter settingsDecrypter;

  @Override
  String goal() {
    return "deploy";
  }

  @Override
  boolean verifies() {
    return verify;
  }

  @Override
  void validateParameters() throws MojoFailureException {
    super.validateParameters();
    Partitions.resolve(partition, session);
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
    VerifyRequest verifyRequest = verify ? verifyAfterRollout(connection, log) : null;
    report.addImage(request.image());
    Instant start = report.now();
    String step = "image " + request.image() + ", partition " + request.partition();
    RolloutProgress progress;
    try {
      progress = new CanaryDeployer(connection, log, imageCheck(log)).deploy(request);
      report.addStep(step, start, progress);
      if (verifyRequest != null) {
        verifyPages(connection, log, report, verifyRequest);
      }
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

  private ImageCheck imageCheck(ProgressLog log) throws MojoFailureException {
    if (!verifyImage) {
      getLog()
          .warn(
              "Not checking that the image exists in its registry (canary.verifyImage=false); a"
                  + " missing image shows only as pods that fail to pull it.");
      return ImageCheck.NONE;
    }
    if (allowInsecureRegistries) {
      getLog()
          .warn(
              "allowInsecureRegistries is true: the image check may reach the registry over plain"
                  + " HTTP or over HTTPS without certificate verification. For a registry with a"
                  + " private CA, set <caFile> (-Dcanary.caFile) instead.");
    }
    return new RegistryImageCheck(
        new RegistryCredentialResolver(
            session.getSettings(),
            settingsDecrypter,
            DockerConfigCredentials.fromEnvironment(),
            log),
        username,
        SecretProperties.resolve(password, session, "canary.password"),
        caFile == null ? List.of() : List.of(caFile.toPath()),
        allowInsecureRegistries,
        session.isOffline(),
        SettingsProxies.properties(session.getSettings(), settingsDecrypter, log),
        Durations.parse(requestTimeout, "canary.requestTimeout"),
        log);
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
