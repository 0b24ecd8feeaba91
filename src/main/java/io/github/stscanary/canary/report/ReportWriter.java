package io.github.stscanary.canary.report;

import io.github.stscanary.canary.report.RunReport.Result;
import io.github.stscanary.canary.report.RunReport.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a run report as {@code report.json} and {@code report.md} into one folder, and appends the
 * Markdown to the GitHub Actions job summary when {@code GITHUB_STEP_SUMMARY} names a file.
 */
public final class ReportWriter {

  public static final String JSON_FILE = "report.json";
  public static final String MARKDOWN_FILE = "report.md";

  /** Environment variable that GitHub Actions sets to the job summary file of the current step. */
  public static final String STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY";

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final Path directory;
  private final UnaryOperator<String> environment;
  private boolean summaryAppended;

  /** Creates a writer into {@code directory} that reads the process environment. */
  public ReportWriter(Path directory) {
    this(directory, System::getenv);
  }

  /**
   * Creates a writer into {@code directory}.
   *
   * @param environment returns the value of an environment variable, or {@code null} when unset
   */
  public ReportWriter(Path directory, UnaryOperator<String> environment) {
    this.directory = directory;
    this.environment = environment;
  }

  /**
   * Writes report.json and report.md, replacing earlier versions, and returns the files written.
   * Once the run has a result, the first call also appends the Markdown to the job summary. Later
   * calls only rewrite the two files, so that the summary shows each run once.
   *
   * @throws IOException when a file cannot be written; the message names the file
   */
  public synchronized List<Path> write(RunReport report) throws IOException {
    Snapshot snapshot = report.snapshot();
    String markdown = MarkdownReport.render(snapshot);
    List<Path> written = new ArrayList<>();

    Files.createDirectories(directory);
    Path json = directory.resolve(JSON_FILE);
    replace(json, MAPPER.writeValueAsString(snapshot) + "\n");
    written.add(json);
    Path markdownFile = directory.resolve(MARKDOWN_FILE);
    replace(markdownFile, markdown);
    written.add(markdownFile);

    Path summary = stepSummaryFile();
    if (summary != null && snapshot.result() != Result.RUNNING && !summaryAppended) {
      appendSummary(summary, markdown);
      summaryAppended = true;
      written.add(summary);
    }
    return written;
  }

  /**
   * Reads a report.json that {@link #write} wrote.
   *
   * @throws IOException when the file is missing or is not a valid report
   */
  public static Snapshot read(Path jsonFile) throws IOException {
    try (InputStream in = Files.newInputStream(jsonFile)) {
      return MAPPER.readValue(in, Snapshot.class);
    } catch (JacksonException e) {
      throw new IOException("Invalid run report " + jsonFile + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Returns the report as Markdown, as written to report.md. */
  public static String markdown(RunReport report) {
    return MarkdownReport.render(report.snapshot());
  }

  private Path stepSummaryFile() {
    String value = environment.apply(STEP_SUMMARY_VARIABLE);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  // A separating blank line keeps the report from joining the Markdown of an earlier step.
  private static void appendSummary(Path summary, String markdown) throws IOException {
    try {
      Files.writeString(
          summary,
          "\n" + markdown,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IOException(
          "Failed to append the run report to "
              + summary
              + " (from "
              + STEP_SUMMARY_VARIABLE
              + "): "
              + e.getMessage(),
          e);
    }
  }

  // Writes a temporary file and moves it into place, so that a reader never sees half a report.
  private static void replace(Path target, String content) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
