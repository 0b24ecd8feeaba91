package io.github.stscanary.canary.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Formats the pods of a rollout as a text table, one line per pod, in ordinal order. */
public final class PodTable {

  private static final String[] HEADER = {
    "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IMAGE", "REVISION", "ROLE"
  };

  private PodTable() {}

  /** Returns the table's lines, header first, with columns padded to their widest cell. */
  public static List<String> format(RolloutProgress progress, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    List<PodState> pods = new ArrayList<>(progress.pods());
    pods.sort(Comparator.comparingInt(PodState::ordinal));
    for (PodState pod : pods) {
      rows.add(
          new String[] {
            pod.name(),
            pod.ready() ? "yes" : "no",
            pod.status(),
            Integer.toString(pod.restarts()),
            pod.created() == null ? "-" : age(Duration.between(pod.created(), now)),
            pod.image(),
            pod.revision(),
            role(progress, pod)
          });
    }
    return align(rows);
  }

  /**
   * Returns {@code canary} for a pod on a pending update revision, {@code stable} for a pod on the
   * current revision, and {@code other} for a pod left on an older update revision, which happens
   * when a canary replaces an earlier one that was never promoted.
   */
  public static String role(RolloutProgress progress, PodState pod) {
    if (progress.isCanary(pod)) {
      return "canary";
    }
    StatefulSetState state = progress.statefulSet();
    boolean stable = pod.revision().equals(state.currentRevision()) || !state.updatePending();
    return stable ? "stable" : "other";
  }

  /**
   * Returns a line such as {@code 2 of 5 pods on registry/app:v2 (40%)}, counting the pods on the
   * update revision.
   */
  public static String summary(RolloutProgress progress, String image) {
    int replicas = progress.statefulSet().replicas();
    long onUpdate =
        progress.statefulSet().updatePending()
            ? progress.canaryCount()
            : progress.pods().stream()
                .filter(pod -> pod.revision().equals(progress.statefulSet().updateRevision()))
                .count();
    long percent = replicas == 0 ? 0 : Math.round(100.0 * onUpdate / replicas);
    return onUpdate + " of " + replicas + " pods on " + image + " (" + percent + "%)";
  }

  /**
   * Formats a duration the way kubectl's AGE column does (HumanDuration in
   * k8s.io/apimachinery/pkg/util/duration): 45s, 3m10s, 52m, 3h30m, 47h, 2d5h, 30d, 2y30d. A
   * negative duration, from clock skew between this machine and the API server, prints 0s.
   */
  static String age(Duration duration) {
    long seconds = Math.max(0, duration.getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return withRemainder(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 3 * 60) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return withRemainder(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (days < 8) {
      return withRemainder(days, "d", hours % 24, "h");
    }
    if (days < 2 * 365) {
      return days + "d";
    }
    if (days < 8 * 365) {
      return withRemainder(days / 365, "y", days % 365, "d");
    }
    return days / 365 + "y";
  }

  private static String withRemainder(
      long value, String unit, long remainder, String remainderUnit) {
    return remainder == 0 ? value + unit : value + unit + remainder + remainderUnit;
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
      lines.add(line.toString());
    }
    return lines;
  }
}
