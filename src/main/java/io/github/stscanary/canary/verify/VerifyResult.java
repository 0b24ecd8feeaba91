package io.github.stscanary.canary.verify;

import io.github.stscanary.canary.rollout.RolloutProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The outcome of one verification: each pod's response, and the responses through the Service. */
public final class VerifyResult {

  private static final String[] HEADER = {
    "NAME", "READY", "REVISION", "ROLE", "HTTP", "EXPECTED", "RESULT", "BODY"
  };

  private final String statefulSet;
  private final RolloutProgress progress;
  private final List<PodCheck> pods;
  private final ServiceSample sample;
  private final String endpointsProblem;
  private final Duration duration;

  /**
   * @param sample the responses through the Service, or {@code null} when none were sent because
   *     the endpoints never matched the pods
   * @param endpointsProblem why no requests went through the Service, or {@code null}
   */
  VerifyResult(
      RolloutProgress progress,
      List<PodCheck> pods,
      ServiceSample sample,
      String endpointsProblem,
      Duration duration) {
    this.statefulSet = progress.statefulSet().name();
    this.progress = progress;
    this.pods = List.copyOf(pods);
    this.sample = sample;
    this.endpointsProblem = endpointsProblem;
    this.duration = duration;
  }

  /** Returns the StatefulSet and its pods as they were read at the start. */
  public RolloutProgress progress() {
    return progress;
  }

  public boolean passed() {
    return problems().isEmpty();
  }

  /** Returns one sentence per problem, pods first, in ordinal order. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (PodCheck pod : pods) {
      if (!pod.passed()) {
        problems.add(pod.problem());
      }
    }
    if (endpointsProblem != null) {
      problems.add(endpointsProblem);
    }
    if (sample != null) {
      problems.addAll(sample.problems());
    }
    return problems;
  }

  /**
   * Returns the share of responses through the Service, such as {@code 19 of 50 answers from the
   * canary (38%), expected 40%}, where the expected share is canary pods over replicas.
   */
  public String share() {
    if (sample == null) {
      return "no requests through the Service";
    }
    int sent = sample.sent();
    if (sample.attributable() && progress.canaryCount() > 0 && hasStablePods()) {
      int canary = sample.count(Expectation.CANARY);
      int replicas = progress.statefulSet().replicas();
      return canary
          + " of "
          + sent
          + " answers from the canary ("
          + percent(canary, sent)
          + "%), expected "
          + percent(progress.canaryCount(), replicas)
          + "%";
    }
    if (sample.attributable()) {
      int matched = sample.count(Expectation.CANARY) + sample.count(Expectation.STABLE);
      return matched + " of " + sent + " responses match the expected page";
    }
    return sent
        + " requests sent (set canary.expectCanary and canary.expectStable to count versions)";
  }

  /**
   * Returns a line such as {@code Verified statefulset/web in 1.2 s: 5 of 5 pods return the
   * expected page, and through service/web:80 (API server proxy): 19 of 50 answers from the canary
   * (38%), expected 40%}.
   */
  public String summary() {
    long podsPassed = pods.stream().filter(PodCheck::passed).count();
    return (passed() ? "Verified" : "Verification failed for")
        + " statefulset/"
        + statefulSet
        + " in "
        + String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0)
        + " s: "
        + podsPassed
        + " of "
        + pods.size()
        + " pods return the expected page, and through "
        + (sample == null ? "the Service" : sample.target())
        + ": "
        + share();
  }

  /** Returns the message of the failure: the first problem, how many more, and what to fix. */
  String failureMessage() {
    List<String> problems = problems();
    String more =
        problems.size() > 1 ? " (and " + (problems.size() - 1) + " more, listed above)" : "";
    return "Verification of statefulset/"
        + statefulSet
        + " failed: "
        + problems.get(0)
        + more
        + ". Fix the image, or the patterns in -Dcanary.expectCanary and -Dcanary.expectStable.";
  }

  /** Returns the problems, then the pod table, then the share line. */
  public List<String> details() {
    List<String> lines = new ArrayList<>();
    for (String problem : problems()) {
      lines.add("- " + problem);
    }
    lines.addAll(table());
    lines.add(summary());
    return lines;
  }

  /** Returns the pod table, header first, with columns padded to their widest cell. */
  public List<String> table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (PodCheck pod : pods) {
      rows.add(
          new String[] {
            pod.pod().name(),
            pod.pod().ready() ? "yes" : "no",
            pod.pod().revision(),
            pod.role(),
            pod.response().statusText(),
            pod.expected() == null ? "-" : pod.expected().describe(),
            pod.result(),
            pod.response().excerpt()
          });
    }
    return align(rows);
  }

  private boolean hasStablePods() {
    return pods.stream().anyMatch(pod -> Expectation.STABLE.equals(pod.role()));
  }

  private static long percent(long part, long whole) {
    return whole == 0 ? 0 : Math.round(100.0 * part / whole);
  }

  private static List<String> align(List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int column = 0; column < row.length; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int column = 0; column < row.length; column++) {
        line.append(row[column]);
        if (column < row.length - 1) {
          line.append(" ".repeat(widths[column] - row[column].length() + 2));
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }
}
