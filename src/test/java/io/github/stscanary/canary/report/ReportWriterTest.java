package io.github.stscanary.canary.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.stscanary.canary.report.RunReport.Result;
import io.github.stscanary.canary.report.RunReport.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  private static final String FAILURE =
      "Canary failed: web-4 is in CrashLoopBackOff.\nRun 'kubectl logs web-4 -n shop'.";

  @TempDir Path temporary;

  @Test
  void jsonRoundTripKeepsFields() throws IOException {
    RunReport report = succeededRun();
    Snapshot expected = report.snapshot();

    new ReportWriter(temporary.resolve("canary"), name -> null).write(report);
    Snapshot read = ReportWriter.read(temporary.resolve("canary").resolve(ReportWriter.JSON_FILE));

    assertThat(read).isEqualTo(expected);
  }

  @Test
  void jsonUsesNamesAndIsoTimes() throws IOException {
    new ReportWriter(temporary, name -> null).write(succeededRun());

    String json = Files.readString(temporary.resolve(ReportWriter.JSON_FILE));
    assertThat(json).contains("\"result\" : \"succeeded\"");
    assertThat(json).contains("\"start\" : \"2025-03-10T09:00:00Z\"");
    assertThat(json).contains("\"stableRevision\" : \"web-6d4f8b9c7\"");
    assertThat(json).contains("\"role\" : \"canary\"");
    assertThat(json).doesNotContain("\"message\"");
  }

  @Test
  void jsonKeepsFailureMessage() throws IOException {
    new ReportWriter(temporary, name -> null).write(failedRun());

    Snapshot read = ReportWriter.read(temporary.resolve(ReportWriter.JSON_FILE));
    assertThat(read.result()).isEqualTo(Result.FAILED);
    assertThat(read.message()).isEqualTo(FAILURE);
  }

  @Test
  void markdownHasHeadingAndStepTable() throws IOException {
    new ReportWriter(temporary, name -> null).write(succeededRun());

    String markdown = Files.readString(temporary.resolve(ReportWriter.MARKDOWN_FILE));
    assertThat(markdown)
        .startsWith("## canary:deploy succeeded: statefulset/web in namespace shop\n");
    assertThat(markdown).contains("Started 2025-03-10T09:00:00Z, took 1m 12s.");
    assertThat(markdown).contains("Images: `127.0.0.1:5000/shop/web:v2`.");
    assertThat(markdown)
        .contains("| # | Step | Phase | Partition | Revisions (stable → update) | Duration |");
    assertThat(markdown)
        .contains("| 1 | push image 127.0.0.1:5000/shop/web:v2 | - | - | - | 30.0 s |");
    assertThat(markdown)
        .contains(
            "| 2 | partition 5 → 3, image 127.0.0.1:5000/shop/web:v2 | Paused | 3 |"
                + " `web-6d4f8b9c7` → `web-7f9c5d6b8` | 41.2 s |");
  }

  @Test
  void markdownListsPodsOfLastStep() throws IOException {
    new ReportWriter(temporary, name -> null).write(succeededRun());

    String markdown = Files.readString(temporary.resolve(ReportWriter.MARKDOWN_FILE));
    assertThat(markdown).contains("### Pods after step 2");
    assertThat(markdown)
        .contains(
            "| web-0 | yes | Running | 0 | `127.0.0.1:5000/shop/web:v1` | `web-6d4f8b9c7` |"
                + " stable |");
    assertThat(markdown)
        .contains(
            "| web-4 | yes | Running | 1 | `127.0.0.1:5000/shop/web:v2` | `web-7f9c5d6b8` |"
                + " canary |");
    assertThat(markdown).doesNotContain("### Failure");
  }

  @Test
  void markdownShowsFailureInCodeBlock() throws IOException {
    new ReportWriter(temporary, name -> null).write(failedRun());

    String markdown = Files.readString(temporary.resolve(ReportWriter.MARKDOWN_FILE));
    assertThat(markdown).startsWith("## canary:deploy failed: statefulset/web in namespace shop");
    assertThat(markdown).contains("| web-4 | no | CrashLoopBackOff | 4 |");
    assertThat(markdown).endsWith("### Failure\n\n```text\n" + FAILURE + "\n```\n");
  }

  @Test
  void markdownFenceOutlastsBackticksInMessage() {
    RunReport report = RunReport.start("canary:deploy", "shop", "web");
    report.fail("output:\n```\nboom\n```");

    String markdown = ReportWriter.markdown(report);

    assertThat(markdown).endsWith("````text\noutput:\n```\nboom\n```\n````\n");
  }

  @Test
  void markdownEscapesPipeInStep() {
    RunReport report = RunReport.start("canary:deploy", "shop", "web");
    report.addStep("run a | b", Instant.now());

    String markdown = ReportWriter.markdown(report);

    assertThat(markdown).contains("| 1 | run a \\| b | - |");
  }

  @Test
  void stepSummaryAppended() throws IOException {
    Path summary = temporary.resolve("step-summary.md");
    Files.writeString(summary, "# Build\n");
    Map<String, String> environment =
        Map.of(ReportWriter.STEP_SUMMARY_VARIABLE, summary.toString());

    List<Path> written =
        new ReportWriter(temporary.resolve("canary"), environment::get).write(failedRun());

    String content = Files.readString(summary);
    assertThat(written).contains(summary);
    assertThat(content).startsWith("# Build\n\n## canary:deploy failed");
    assertThat(content).contains("### Failure");
    assertThat(content)
        .endsWith(Files.readString(temporary.resolve("canary").resolve("report.md")));
  }

  @Test
  void stepSummaryAppendedOncePerWriter() throws IOException {
    Path summary = temporary.resolve("step-summary.md");
    Map<String, String> environment =
        Map.of(ReportWriter.STEP_SUMMARY_VARIABLE, summary.toString());
    ReportWriter writer = new ReportWriter(temporary.resolve("canary"), environment::get);
    RunReport report = failedRun();

    writer.write(report);
    writer.write(report);

    String content = Files.readString(summary);
    assertThat(content).containsOnlyOnce("## canary:deploy");
  }

  @Test
  void stepSummarySkippedWhileRunning() throws IOException {
    Path summary = temporary.resolve("step-summary.md");
    Map<String, String> environment =
        Map.of(ReportWriter.STEP_SUMMARY_VARIABLE, summary.toString());

    new ReportWriter(temporary.resolve("canary"), environment::get)
        .write(RunReport.start("canary:deploy", "shop", "web"));

    assertThat(summary).doesNotExist();
  }

  @Test
  void unwritableStepSummaryNamesVariable() {
    Path summary = temporary.resolve("missing-folder").resolve("step-summary.md");
    Map<String, String> environment =
        Map.of(ReportWriter.STEP_SUMMARY_VARIABLE, summary.toString());

    IOException failure =
        catchThrowableOfType(
            IOException.class,
            () ->
                new ReportWriter(temporary.resolve("canary"), environment::get).write(failedRun()));

    assertThat(failure).as("exception of the write").isNotNull();
    assertThat(failure.getMessage()).contains("GITHUB_STEP_SUMMARY").contains(summary.toString());
  }

  @Test
  void writeReplacesEarlierReport() throws IOException {
    ReportWriter writer = new ReportWriter(temporary, name -> null);
    writer.write(RunReport.start("canary:deploy", "shop", "web"));

    writer.write(succeededRun());

    assertThat(ReportWriter.read(temporary.resolve(ReportWriter.JSON_FILE)).result())
        .isEqualTo(Result.SUCCEEDED);
    try (var files = Files.list(temporary)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrder("report.json", "report.md");
    }
  }

  @Test
  void invalidJsonNamesFile() throws IOException {
    Path json = temporary.resolve("report.json");
    Files.writeString(json, "{\"result\": ");

    IOException failure = catchThrowableOfType(IOException.class, () -> ReportWriter.read(json));

    assertThat(failure).as("exception of the read").isNotNull();
    assertThat(failure.getMessage()).startsWith("Invalid run report " + json);
  }

  @Test
  void durationsFormatByMagnitude() {
    assertThat(MarkdownReport.formatDuration(Duration.ofMillis(41_230))).isEqualTo("41.2 s");
    assertThat(MarkdownReport.formatDuration(Duration.ofSeconds(185))).isEqualTo("3m 05s");
    assertThat(MarkdownReport.formatDuration(Duration.ofMinutes(62))).isEqualTo("1h 02m");
  }

  /** Pushes an image in 30 s, then sets partition 3 and waits 41.2 s for the pods. */
  private static RunReport succeededRun() {
    Rollouts.MutableClock clock = new Rollouts.MutableClock();
    RunReport report = Rollouts.report(clock);
    report.addImage(Rollouts.UPDATE_IMAGE);
    Instant pushStart = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    report.addStep("push image " + Rollouts.UPDATE_IMAGE, pushStart);
    Instant rolloutStart = clock.instant();
    clock.advance(Duration.ofMillis(41_200));
    report.addStep(
        "partition 5 → 3, image " + Rollouts.UPDATE_IMAGE,
        rolloutStart,
        Rollouts.partitionThreeComplete());
    clock.advance(Duration.ofMillis(800));
    report.succeed();
    return report;
  }

  private static RunReport failedRun() {
    Rollouts.MutableClock clock = new Rollouts.MutableClock();
    RunReport report = Rollouts.report(clock);
    report.addImage(Rollouts.UPDATE_IMAGE);
    Instant rolloutStart = clock.instant();
    clock.advance(Duration.ofSeconds(95));
    report.addStep(
        "partition 5 → 3, image " + Rollouts.UPDATE_IMAGE,
        rolloutStart,
        Rollouts.partitionThreeCrashLoop());
    report.fail(FAILURE);
    return report;
  }
}
