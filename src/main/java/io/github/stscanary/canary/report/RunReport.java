package io.github.stscanary.canary.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RolloutPhase;
import io.github.stscanary.canary.rollout.RolloutProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The record of one run of a goal: target, images, steps with their pods, and the result.
 *
 * <p>All methods are synchronized, so that a shutdown hook can finish and write the report while
 * the goal's thread still adds steps. It contains no credentials and must not, because it is
 * written to the build directory and to the CI job summary.
 */
public final class RunReport {

  /** Result of the run, {@code running} until {@link #succeed()} or {@link #fail(String)}. */
  public enum Result {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String value;

    Result(String value) {
      this.value = value;
    }

    /** Returns the lower-case name used in report.json and report.md. */
    @JsonValue
    public String value() {
      return value;
    }
  }

  /**
   * One pod as it was at the end of a step.
   *
   * @param role {@code canary} for a pod on a pending update revision, else {@code stable}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pod(
      String name,
      boolean ready,
      String status,
      int restarts,
      String image,
      String revision,
      String role) {

    /** Reads a pod of {@code progress}, with its role as {@link PodTable#role} names it. */
    public static Pod of(RolloutProgress progress, PodState pod) {
      return new Pod(
          pod.name(),
          pod.ready(),
          pod.status(),
          pod.restarts(),
          pod.image(),
          pod.revision(),
          PodTable.role(progress, pod));
    }
  }

  /**
   * One step of the run, such as setting the partition and waiting for the pods. The rollout fields
   * are {@code null}, and {@code pods} is empty, for a step that did not look at the StatefulSet
   * (for example pushing an image).
   *
   * @param description what the step did, such as {@code partition 5 → 3, image registry/app:v2}
   * @param partition the partition the step rolled out to
   * @param stableRevision {@code status.currentRevision} of the StatefulSet
   * @param updateRevision {@code status.updateRevision} of the StatefulSet
   * @param phase {@link RolloutPhase#displayName()} at the end of the step
   * @param pods the pods at the end of the step, in ordinal order
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      String description,
      Instant start,
      Instant end,
      long durationMillis,
      Integer partition,
      String stableRevision,
      String updateRevision,
      String phase,
      List<Pod> pods) {

    public Step {
      pods = pods == null ? List.of() : List.copyOf(pods);
    }

    /** Describes a step from the rollout state that it ended with. */
    public static Step of(
        String description, Instant start, Instant end, RolloutProgress progress) {
      List<PodState> sorted = new ArrayList<>(progress.pods());
      sorted.sort(Comparator.comparingInt(PodState::ordinal));
      List<Pod> pods = sorted.stream().map(pod -> Pod.of(progress, pod)).toList();
      return new Step(
          description,
          start,
          end,
          Duration.between(start, end).toMillis(),
          progress.partition(),
          progress.statefulSet().currentRevision(),
          progress.statefulSet().updateRevision(),
          RolloutPhase.of(progress.statefulSet(), progress.pods()).displayName(),
          pods);
    }

    /** Describes a step that did not read the StatefulSet. */
    public static Step withoutRollout(String description, Instant start, Instant end) {
      return new Step(
          description,
          start,
          end,
          Duration.between(start, end).toMillis(),
          null,
          null,
          null,
          null,
          List.of());
    }
  }

  /**
   * An immutable copy of a report, as report.json stores it.
   *
   * @param end when the run finished, or {@code null} while it runs
   * @param message the failure message, or {@code null} unless the run failed
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Snapshot(
      String goal,
      String namespace,
      String statefulSet,
      Instant start,
      Instant end,
      Result result,
      String message,
      List<String> images,
      List<Step> steps) {

    public Snapshot {
      images = images == null ? List.of() : List.copyOf(images);
      steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** Returns the time from start to end, or {@code null} while the run has not finished. */
    @JsonIgnore
    public Duration duration() {
      return end == null ? null : Duration.between(start, end);
    }
  }

  private final String goal;
  private final String namespace;
  private final String statefulSet;
  private final Clock clock;
  private final Instant start;
  private final List<String> images = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private Instant end;
  private Result result = Result.RUNNING;
  private String message;

  private RunReport(String goal, String namespace, String statefulSet, Clock clock) {
    this.goal = goal;
    this.namespace = namespace;
    this.statefulSet = statefulSet;
    this.clock = clock;
    this.start = clock.instant();
  }

  /**
   * Starts the report of a run now.
   *
   * @param goal the goal with prefix, such as {@code canary:deploy}
   */
  public static RunReport start(String goal, String namespace, String statefulSet) {
    return start(goal, namespace, statefulSet, Clock.systemUTC());
  }

  /** Starts the report of a run, reading all times from {@code clock}. */
  public static RunReport start(String goal, String namespace, String statefulSet, Clock clock) {
    return new RunReport(goal, namespace, statefulSet, clock);
  }

  /** Returns the current time of the report's clock, for the start of a step. */
  public Instant now() {
    return clock.instant();
  }

  /** Adds an image reference that the run deployed or pushed, unless it is listed already. */
  public synchronized void addImage(String image) {
    if (!images.contains(image)) {
      images.add(image);
    }
  }

  /** Adds a step that ends now, with the rollout state it ended with. */
  public synchronized Step addStep(
      String description, Instant stepStart, RolloutProgress progress) {
    return addStep(Step.of(description, stepStart, clock.instant(), progress));
  }

  /** Adds a step that ends now and did not read the StatefulSet. */
  public synchronized Step addStep(String description, Instant stepStart) {
    return addStep(Step.withoutRollout(description, stepStart, clock.instant()));
  }

  /** Adds a finished step. */
  public synchronized Step addStep(Step step) {
    steps.add(step);
    return step;
  }

  /**
   * Marks the run as succeeded now. Returns false, and changes nothing, when the run already has a
   * result, so that a shutdown hook and the goal's thread cannot overwrite each other.
   */
  public synchronized boolean succeed() {
    return finish(Result.SUCCEEDED, null);
  }

  /**
   * Marks the run as failed now with {@code failure} as its message. Returns false, and changes
   * nothing, when the run already has a result.
   */
  public synchronized boolean fail(String failure) {
    return finish(Result.FAILED, failure == null ? "(no message)" : failure);
  }

  public synchronized Result result() {
    return result;
  }

  /** Returns a copy of the report as it is now. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(goal, namespace, statefulSet, start, end, result, message, images, steps);
  }

  private boolean finish(Result finalResult, String failure) {
    if (result != Result.RUNNING) {
      return false;
    }
    result = finalResult;
    message = failure;
    end = clock.instant();
    return true;
  }
}
