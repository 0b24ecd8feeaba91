package io.github.stscanary.canary.lifecycle;

import static io.github.stscanary.canary.lifecycle.TestNamespace.STATEFUL_SET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code canary:promote} after a canary of v2 on pods 3 and 4. */
class PromoteIT {

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private TestNamespace namespace;
  private String stableImage;
  private String canaryImage;
  private MavenRun maven;

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void promoteWithPauseWalksAllSteps() {
    deployCanary("promote-pause");

    MavenRun.Result promote =
        maven.run("canary:promote", "-Dcanary.steps=3,1,0", "-Dcanary.pause=1s");
    RunReport.Snapshot report = TestNamespace.report(maven);

    assertThat(promote.succeeded()).as(promote.output()).isTrue();
    assertThat(report.result()).isEqualTo(RunReport.Result.SUCCEEDED);
    assertThat(report.steps())
        .extracting(RunReport.Step::description)
        .containsExactly("partition 3 to 1", "partition 1 to 0");
    assertThat(report.steps()).extracting(RunReport.Step::partition).containsExactly(1, 0);
    Duration betweenSteps =
        Duration.between(report.steps().get(0).end(), report.steps().get(1).start());
    assertThat(betweenSteps)
        .as("time between the steps, which contains the pause and no step")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    for (RunReport.Step step : report.steps()) {
      System.out.printf(
          "%s: promote step '%s' took %d ms%n",
          STATEFUL_SET, step.description(), step.durationMillis());
    }
    namespace.assertStableOn(canaryImage);
    assertThat(statusPhase()).isEqualTo("Healthy");
  }

  @Test
  void promoteWithoutPauseDoesOneStepPerRun() {
    deployCanary("promote-step");

    MavenRun.Result first = maven.run("canary:promote", "-Dcanary.steps=3,1,0");

    assertThat(first.succeeded()).as(first.output()).isTrue();
    assertThat(first.output()).contains("run canary:promote again to continue with partition 0");
    assertThat(partition()).as("partition after the first run").isEqualTo(1);
    List<Pod> pods = namespace.pods();
    assertThat(TestNamespace.image(pods.get(0))).as("image of pod 0").isEqualTo(stableImage);
    assertThat(pods.subList(1, 5))
        .as("images of pods 1 to 4")
        .extracting(TestNamespace::image)
        .containsOnly(canaryImage);
    assertThat(pods).as("pods Ready").allMatch(TestNamespace::ready);
    assertThat(TestNamespace.report(maven).steps())
        .extracting(RunReport.Step::description)
        .containsExactly("partition 3 to 1");

    MavenRun.Result second = maven.run("canary:promote", "-Dcanary.steps=3,1,0");

    assertThat(second.succeeded()).as(second.output()).isTrue();
    assertThat(partition()).as("partition after the second run").isZero();
    namespace.assertStableOn(canaryImage);
    assertThat(TestNamespace.report(maven).steps())
        .extracting(RunReport.Step::description)
        .containsExactly("partition 1 to 0");
  }

  @Test
  void promoteOfFailedCanaryChangesNothing() {
    namespace = TestNamespace.create(environment, "promote-failed");
    namespace.createStatefulSet(namespace.image("v1"));
    maven = namespace.project();
    MavenRun.Result deploy =
        maven.run(
            "canary:deploy",
            "-Dcanary.image=" + namespace.image("broken"),
            "-Dpartition=3",
            "-Dcanary.rollbackOnFailure=false");
    assertThat(deploy.succeeded()).as(deploy.output()).isFalse();
    long generation = namespace.statefulSet().getMetadata().getGeneration();

    MavenRun.Result promote = maven.run("canary:promote");

    assertThat(promote.succeeded()).as(promote.output()).isFalse();
    assertThat(promote.output()).contains(STATEFUL_SET + "-4 (ImagePullBackOff");
    assertThat(promote.output()).contains("mvn canary:rollback");
    assertThat(partition()).as("partition after the rejected promote").isEqualTo(3);
    assertThat(namespace.statefulSet().getMetadata().getGeneration())
        .as("generation after the rejected promote")
        .isEqualTo(generation);
  }

  /** Creates the StatefulSet on v1, then runs canary:deploy of v2 with partition 3. */
  private void deployCanary(String prefix) {
    namespace = TestNamespace.create(environment, prefix);
    stableImage = namespace.image("v1");
    canaryImage = namespace.image("v2");
    namespace.createStatefulSet(stableImage);
    maven = namespace.project();

    MavenRun.Result deploy =
        maven.run("canary:deploy", "-Dcanary.image=" + canaryImage, "-Dpartition=3");

    assertThat(deploy.succeeded()).as(deploy.output()).isTrue();
    assertThat(partition()).as("partition after the deploy").isEqualTo(3);
  }

  private int partition() {
    StatefulSet statefulSet = namespace.statefulSet();
    return statefulSet.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
  }

  /** Runs canary:status with JSON output and returns its phase. */
  private String statusPhase() {
    MavenRun.Result status = maven.run("canary:status", "-Dcanary.output=json");
    assertThat(status.succeeded()).as(status.output()).isTrue();
    String json =
        status
            .output()
            .lines()
            .filter(line -> line.startsWith("{") && line.contains("\"phase\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No JSON status in: " + status.output()));
    Map<?, ?> parsed = JsonMapper.builder().build().readValue(json, Map.class);
    return (String) parsed.get("phase");
  }
}
