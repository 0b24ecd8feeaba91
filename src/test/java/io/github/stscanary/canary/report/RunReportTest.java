package io.github.stscanary.canary.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.report.RunReport.Pod;
import io.github.stscanary.canary.report.RunReport.Result;
import io.github.stscanary.canary.report.RunReport.Snapshot;
import io.github.stscanary.canary.report.RunReport.Step;
import io.github.stscanary.canary.rollout.RolloutProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {

  @Test
  void newReportIsRunning() {
    RunReport report = Rollouts.report(new Rollouts.MutableClock());

    Snapshot snapshot = report.snapshot();
    assertThat(snapshot.result()).isEqualTo(Result.RUNNING);
    assertThat(snapshot.start()).isEqualTo(Rollouts.START);
    assertThat(snapshot.end()).isNull();
    assertThat(snapshot.message()).isNull();
  }

  @Test
  void stepTakesFieldsFromProgress() {
    Rollouts.MutableClock clock = new Rollouts.MutableClock();
    RunReport report = Rollouts.report(clock);
    Instant stepStart = clock.instant();
    clock.advance(Duration.ofMillis(41_200));

    Step step = report.addStep("partition 5 → 3", stepStart, Rollouts.partitionThreeComplete());

    assertThat(step.start()).isEqualTo(stepStart);
    assertThat(step.end()).isEqualTo(Rollouts.START.plusMillis(41_200));
    assertThat(step.durationMillis()).isEqualTo(41_200);
    assertThat(step.partition()).isEqualTo(3);
    assertThat(step.stableRevision()).isEqualTo(Rollouts.STABLE_REVISION);
    assertThat(step.updateRevision()).isEqualTo(Rollouts.UPDATE_REVISION);
    assertThat(step.phase()).isEqualTo("Paused");
  }

  @Test
  void stepListsPodsInOrdinalOrderWithRoles() {
    RolloutProgress progress = Rollouts.partitionThreeComplete();
    RunReport report = Rollouts.report(new Rollouts.MutableClock());

    Step step = report.addStep("partition 5 → 3", Rollouts.START, progress);

    assertThat(step.pods())
        .extracting(Pod::name)
        .containsExactly("web-0", "web-1", "web-2", "web-3", "web-4");
    assertThat(step.pods())
        .extracting(Pod::role)
        .containsExactly("stable", "stable", "stable", "canary", "canary");
    assertThat(step.pods().get(4))
        .isEqualTo(
            new Pod(
                "web-4",
                true,
                "Running",
                1,
                Rollouts.UPDATE_IMAGE,
                Rollouts.UPDATE_REVISION,
                "canary"));
  }

  @Test
  void stepWithoutRolloutHasNoPods() {
    RunReport report = Rollouts.report(new Rollouts.MutableClock());

    Step step = report.addStep("push image", Rollouts.START);

    assertThat(step.pods()).isEmpty();
    assertThat(step.partition()).isNull();
    assertThat(step.phase()).isNull();
  }

  @Test
  void failSetsMessageAndEnd() {
    Rollouts.MutableClock clock = new Rollouts.MutableClock();
    RunReport report = Rollouts.report(clock);
    clock.advance(Duration.ofMinutes(2));

    boolean changed = report.fail("web-4 is in CrashLoopBackOff");

    Snapshot snapshot = report.snapshot();
    assertThat(changed).isTrue();
    assertThat(snapshot.result()).isEqualTo(Result.FAILED);
    assertThat(snapshot.message()).isEqualTo("web-4 is in CrashLoopBackOff");
    assertThat(snapshot.end()).isEqualTo(Rollouts.START.plus(Duration.ofMinutes(2)));
  }

  @Test
  void firstResultWins() {
    RunReport report = Rollouts.report(new Rollouts.MutableClock());
    report.fail("interrupted: the JVM shut down");

    boolean changed = report.succeed();

    assertThat(changed).isFalse();
    assertThat(report.result()).isEqualTo(Result.FAILED);
  }

  @Test
  void repeatedImageListedOnce() {
    RunReport report = Rollouts.report(new Rollouts.MutableClock());

    report.addImage(Rollouts.UPDATE_IMAGE);
    report.addImage(Rollouts.UPDATE_IMAGE);

    assertThat(report.snapshot().images()).isEqualTo(List.of(Rollouts.UPDATE_IMAGE));
  }

  @Test
  void snapshotIsNotChangedByLaterSteps() {
    RunReport report = Rollouts.report(new Rollouts.MutableClock());
    Snapshot before = report.snapshot();

    report.addStep("push image", Rollouts.START);

    assertThat(before.steps()).isEmpty();
  }
}
