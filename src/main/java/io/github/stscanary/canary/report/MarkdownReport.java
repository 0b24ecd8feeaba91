package io.github.stscanary.canary.report;

import io.github.stscanary.canary.report.RunReport.Pod;
import io.github.stscanary.canary.report.RunReport.Result;
import io.github.stscanary.canary.report.RunReport.Snapshot;
import io.github.stscanary.canary.report.RunReport.Step;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a run report as GitHub-flavored Markdown, the format of GitHub job summaries. */
final class MarkdownReport {

  private static final Pattern BACKTICK_RUN = Pattern.compile("`+");

  private MarkdownReport() {}

  /**
   * Returns a heading with goal and result, a table of the steps, a table of the pods after the
   * last step that read them, and the failure message in a code block if the run failed.
   */
  static String render(Snapshot report) {
    StringBuilder markdown = new StringBuilder();
    appendSummary(markdown, report);
    appendSteps(markdown, report.steps());
    appendLastPods(markdown, report.steps());
    if (report.result() == Result.FAILED) {
      markdown.append("\n### Failure\n\n");
      appendCodeBlock(markdown, report.message());
    }
    return markdown.toString();
  }

  /** Formats a duration as {@code 41.2 s}, {@code 3m 05s} or {@code 1h 02m}. */
  static String formatDuration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
  }

  private static void appendSummary(StringBuilder markdown, Snapshot report) {
    String outcome =
        switch (report.result()) {
          case SUCCEEDED -> "succeeded";
          case FAILED -> "failed";
          case RUNNING -> "did not finish";
        };
    markdown
        .append("## ")
        .append(report.goal())
        .append(' ')
        .append(outcome)
        .append(": statefulset/")
        .append(report.statefulSet())
        .append(" in namespace ")
        .append(report.namespace())
        .append("\n\n");
    markdown.append("Started ").append(report.start());
    if (report.end() != null) {
      markdown.append(", took ").append(formatDuration(report.duration()));
    }
    markdown.append(".\n");
    if (!report.images().isEmpty()) {
      List<String> images = report.images().stream().map(MarkdownReport::code).toList();
      markdown.append("Images: ").append(String.join(", ", images)).append(".\n");
    }
  }

  private static void appendSteps(StringBuilder markdown, List<Step> steps) {
    markdown.append("\n### Steps\n\n");
    if (steps.isEmpty()) {
      markdown.append("No steps ran.\n");
      return;
    }
    markdown.append("| # | Step | Phase | Partition | Revisions (stable → update) | Duration |\n");
    markdown.append("|--:|------|-------|----------:|-----------------------------|---------:|\n");
    for (int index = 0; index < steps.size(); index++) {
      Step step = steps.get(index);
      String revisions =
          step.stableRevision() == null
              ? "-"
              : code(step.stableRevision()) + " → " + code(step.updateRevision());
      row(
          markdown,
          Integer.toString(index + 1),
          cell(step.description()),
          step.phase() == null ? "-" : cell(step.phase()),
          step.partition() == null ? "-" : step.partition().toString(),
          revisions,
          formatDuration(Duration.ofMillis(step.durationMillis())));
    }
  }

  private static void appendLastPods(StringBuilder markdown, List<Step> steps) {
    for (int index = steps.size() - 1; index >= 0; index--) {
      List<Pod> pods = steps.get(index).pods();
      if (pods.isEmpty()) {
        continue;
      }
      markdown.append("\n### Pods after step ").append(index + 1).append("\n\n");
      markdown.append("| Pod | Ready | Status | Restarts | Image | Revision | Role |\n");
      markdown.append("|-----|-------|--------|---------:|-------|----------|------|\n");
      for (Pod pod : pods) {
        row(
            markdown,
            cell(pod.name()),
            pod.ready() ? "yes" : "no",
            cell(pod.status()),
            Integer.toString(pod.restarts()),
            code(pod.image()),
            code(pod.revision()),
            cell(pod.role()));
      }
      return;
    }
  }

  // The fence is longer than any run of backticks in the message, so the message cannot close it.
  private static void appendCodeBlock(StringBuilder markdown, String text) {
    int longestRun = 0;
    Matcher matcher = BACKTICK_RUN.matcher(text);
    while (matcher.find()) {
      longestRun = Math.max(longestRun, matcher.group().length());
    }
    String fence = "`".repeat(Math.max(3, longestRun + 1));
    markdown.append(fence).append("text\n").append(text);
    if (!text.endsWith("\n")) {
      markdown.append('\n');
    }
    markdown.append(fence).append('\n');
  }

  private static void row(StringBuilder markdown, String... cells) {
    markdown.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  /** Escapes a table cell: a pipe would end the cell, a line break the row. */
  private static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "-";
    }
    return value.replace("|", "\\|").replace("\r", "").replace("\n", " ");
  }

  /** Formats a value as inline code, or as plain text when it contains a backtick itself. */
  private static String code(String value) {
    if (value == null || value.isEmpty()) {
      return "-";
    }
    if (value.contains("`")) {
      return cell(value);
    }
    return "`" + cell(value) + "`";
  }
}
