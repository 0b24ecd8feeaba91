package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.Durations;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.PromoteRequest;
import io.github.stscanary.canary.rollout.PromoteService;
import io.github.stscanary.canary.rollout.RolloutProgress;
import io.github.stscanary.canary.verify.VerifyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Promotes a canary: lowers the StatefulSet's partition to 0, to {@code -Dpartition=N}, or through
 * {@code -Dcanary.steps=3,1,0}, waiting after each step until the pods match as {@code
 * canary:deploy} does.
 */
@Mojo(name = "promote", threadSafe = true, requiresProject = false)
public class PromoteMojo extends AbstractVerifyingMojo {

  /**
   * Partition to promote to, below the current one. Also read from {@code -Dpartition}. Defaults to
   * 0 (every pod) unless {@code steps} is set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.partition")
  String partition;

  /**
   * Partitions to move through, strictly decreasing, comma-separated, for example {@code 3,1,0}.
   * Steps at or above the current partition count as done.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.steps")
  String steps;

  /**
   * Wait between steps, in the forms of {@code timeout}. Unset or {@code none}: stop after one
   * step, so that the next run of this goal continues with the next step.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.pause")
  String pause;

  /**
   * Container whose image the pod table shows; the first one when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.container")
  String container;

  /**
   * Runs the check of {@code canary:verify} after each step, and once when every step was already
   * done. A failed check stops the promotion before the next step.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verify", defaultValue = "false")
  boolean verify;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Override
  String goal() {
    return "promote";
  }

  @Override
  boolean verifies() {
    return verify;
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report)
      throws MojoFailureException, InterruptedException {
    PromoteRequest request =
        new PromoteRequest(
            statefulSet, container, resolveSteps(), resolvePause(), rolloutTimeout());
    VerifyRequest verifyRequest = verify ? verifyAfterRollout(connection, log) : null;
    Instant[] stepStart = {report.now()};
    int[] stepsDone = {0};
    PromoteService service =
        new PromoteService(
            connection,
            log,
            new PromoteService.StepListener() {
              @Override
              public void stepStarting(int from, int to) {
                stepStart[0] = report.now();
              }

              @Override
              public void stepCompleted(int from, int to, RolloutProgress progress)
                  throws InterruptedException {
                report.addStep("partition " + from + " to " + to, stepStart[0], progress);
                stepsDone[0]++;
                if (verifyRequest != null) {
                  verifyPages(connection, log, report, verifyRequest);
                }
              }
            });
    RolloutProgress progress = service.promote(request);
    if (verifyRequest != null && stepsDone[0] == 0) {
      verifyPages(connection, log, report, verifyRequest);
    }
    for (String line : PodTable.format(progress, Instant.now())) {
      getLog().info(line);
    }
    String image =
        progress.pods().isEmpty() ? "" : progress.pods().get(progress.pods().size() - 1).image();
    getLog().info(PodTable.summary(progress, image));
  }

  List<Integer> resolveSteps() throws MojoFailureException {
    boolean partitionSet =
        partition != null
            || (session != null
                && session.getUserProperties().getProperty(Partitions.SHORT_PROPERTY) != null);
    if (steps != null && !steps.isBlank()) {
      if (partitionSet) {
        throw new MojoFailureException(
            "Both canary.steps and a partition are set. Pass either -Dcanary.steps=3,1,0 or"
                + " -Dpartition=N.");
      }
      List<Integer> parsed = new ArrayList<>();
      for (String step : steps.split(",")) {
        try {
          parsed.add(Integer.parseInt(step.trim()));
        } catch (NumberFormatException e) {
          throw new MojoFailureException(
              "Invalid canary.steps '"
                  + steps
                  + "': '"
                  + step.trim()
                  + "' is not a whole number. Use decreasing partitions such as 3,1,0.");
        }
      }
      return parsed;
    }
    if (partitionSet) {
      return List.of(Partitions.resolve(partition, session));
    }
    return List.of(0);
  }

  private Duration resolvePause() {
    if (pause == null || pause.isBlank() || "none".equalsIgnoreCase(pause.trim())) {
      return null;
    }
    return Durations.parse(pause, "canary.pause");
  }
}
