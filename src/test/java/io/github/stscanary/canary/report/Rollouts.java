package io.github.stscanary.canary.report;

import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.RolloutCheck;
import io.github.stscanary.canary.rollout.RolloutProgress;
import io.github.stscanary.canary.rollout.StatefulSetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Rollout states of the StatefulSet {@code web} in namespace {@code shop} (5 replicas) for report
 * tests, and a clock that tests move by hand.
 */
final class Rollouts {

  static final Instant START = Instant.parse("2025-03-10T09:00:00Z");
  static final String STABLE_IMAGE = "127.0.0.1:5000/shop/web:v1";
  static final String UPDATE_IMAGE = "127.0.0.1:5000/shop/web:v2";
  static final String STABLE_REVISION = "web-6d4f8b9c7";
  static final String UPDATE_REVISION = "web-7f9c5d6b8";

  private Rollouts() {}

  static RunReport report(Clock clock) {
    return RunReport.start("canary:deploy", "shop", "web", clock);
  }

  /** Partition 3 reached: web-0 to web-2 on v1, web-3 and web-4 on v2, all Ready. */
  static RolloutProgress partitionThreeComplete() {
    List<PodState> pods =
        List.of(
            pod(0, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(1, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(2, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(4, true, "Running", 1, UPDATE_IMAGE, UPDATE_REVISION),
            pod(3, true, "Running", 0, UPDATE_IMAGE, UPDATE_REVISION));
    return RolloutCheck.evaluate(statefulSet(5, 2, 3), pods, 3, Map.of());
  }

  /** Partition 3 requested, and web-4 on v2 crashes. */
  static RolloutProgress partitionThreeCrashLoop() {
    List<PodState> pods =
        List.of(
            pod(0, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(1, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(2, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(3, true, "Running", 0, STABLE_IMAGE, STABLE_REVISION),
            pod(4, false, "CrashLoopBackOff", 4, UPDATE_IMAGE, UPDATE_REVISION));
    return RolloutCheck.evaluate(statefulSet(4, 1, 3), pods, 3, Map.of());
  }

  private static StatefulSetState statefulSet(int ready, int updated, int partition) {
    return new StatefulSetState(
        "shop",
        "web",
        4,
        4,
        5,
        ready,
        updated,
        5 - updated,
        STABLE_REVISION,
        UPDATE_REVISION,
        partition,
        StatefulSetState.ROLLING_UPDATE);
  }

  private static PodState pod(
      int ordinal, boolean ready, String status, int restarts, String image, String revision) {
    return new PodState(
        "web-" + ordinal,
        ordinal,
        ready,
        status,
        "",
        restarts,
        START.minus(Duration.ofMinutes(10)),
        image,
        revision);
  }

  /** A clock that starts at {@link #START} and moves only when a test advances it. */
  static final class MutableClock extends Clock {

    private volatile Instant now = START;

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("tests use UTC only");
    }
  }
}
