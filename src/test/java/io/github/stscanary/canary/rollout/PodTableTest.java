package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.rollout.RolloutProgress.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodTableTest {

  private static final Instant NOW = Instant.parse("2025-03-10T10:05:00Z");

  @Test
  void formatAlignsColumnsToWidestCell() {
    List<String> lines =
        PodTable.format(
            progress(
                replicas(5, "web-6d8f7c9b5d", "web-7f9c6b8d4c"),
                pod(
                    "web-4",
                    4,
                    true,
                    "Running",
                    0,
                    "10m",
                    "127.0.0.1:5000/web:v2",
                    "web-7f9c6b8d4c"),
                pod(
                    "web-10",
                    10,
                    false,
                    "CrashLoopBackOff",
                    12,
                    "45s",
                    "web:v1",
                    "web-6d8f7c9b5d")),
            NOW);

    assertThat(lines)
        .containsExactly(
            "NAME    READY  STATUS            RESTARTS  AGE  IMAGE                  REVISION      "
                + "  ROLE",
            "web-4   yes    Running           0         10m  127.0.0.1:5000/web:v2  web-7f9c6b8d4c"
                + "  canary",
            "web-10  no     CrashLoopBackOff  12        45s  web:v1                 web-6d8f7c9b5d"
                + "  stable");
  }

  @Test
  void formatSortsPodsByOrdinal() {
    List<String> lines =
        PodTable.format(
            progress(
                replicas(3, "a", "a"),
                pod("web-2", 2, true, "Running", 0, "1m", "web:v1", "a"),
                pod("web-0", 0, true, "Running", 0, "1m", "web:v1", "a"),
                pod("web-1", 1, true, "Running", 0, "1m", "web:v1", "a")),
            NOW);

    assertThat(lines)
        .extracting(line -> line.split(" ")[0])
        .containsExactly("NAME", "web-0", "web-1", "web-2");
  }

  @Test
  void formatShowsDashForUnknownCreation() {
    PodState pod = new PodState("web-0", 0, false, "Pending", "", 0, null, "web:v1", "");

    List<String> lines = PodTable.format(progress(replicas(1, "a", "a"), pod), NOW);

    assertThat(lines.get(1)).containsPattern("0 +- +web:v1");
  }

  @Test
  void formatOfRecordedRolloutMarksCanaries() {
    RolloutProgress progress = RecordedRollout.partitionThreeComplete().evaluate(3);

    List<String> lines = PodTable.format(progress, NOW);

    assertThat(lines).hasSize(6);
    assertThat(lines.subList(1, 4)).allSatisfy(line -> assertThat(line).endsWith("stable"));
    assertThat(lines.subList(4, 6)).allSatisfy(line -> assertThat(line).endsWith("canary"));
    assertThat(lines.get(1))
        .startsWith("web-0  yes    Running  0         52m    127.0.0.1:5000/shop/web:v1");
    assertThat(lines.get(5)).contains(" 2m43s ");
  }

  @Test
  void roleIsStableWithoutPendingUpdate() {
    RolloutProgress progress = RecordedRollout.allPodsUpdated().evaluate(0);

    assertThat(progress.pods())
        .extracting(pod -> PodTable.role(progress, pod))
        .containsOnly("stable");
  }

  @Test
  void summaryCountsCanaryPods() {
    RolloutProgress progress = RecordedRollout.partitionThreeComplete().evaluate(3);

    assertThat(PodTable.summary(progress, "127.0.0.1:5000/shop/web:v2"))
        .isEqualTo("2 of 5 pods on 127.0.0.1:5000/shop/web:v2 (40%)");
  }

  @Test
  void summaryCountsAllPodsAfterFullRollout() {
    RolloutProgress progress = RecordedRollout.allPodsUpdated().evaluate(0);

    assertThat(PodTable.summary(progress, "127.0.0.1:5000/shop/web:v2"))
        .isEqualTo("5 of 5 pods on 127.0.0.1:5000/shop/web:v2 (100%)");
  }

  @Test
  void summaryRoundsPercent() {
    RolloutProgress progress =
        progress(
            replicas(3, "stable", "update"),
            pod("web-0", 0, true, "Running", 0, "1m", "web:v1", "stable"),
            pod("web-1", 1, true, "Running", 0, "1m", "web:v2", "update"),
            pod("web-2", 2, true, "Running", 0, "1m", "web:v2", "update"));

    assertThat(PodTable.summary(progress, "web:v2")).isEqualTo("2 of 3 pods on web:v2 (67%)");
  }

  @Test
  void summaryOfZeroReplicasIsZeroPercent() {
    RolloutProgress progress = progress(replicas(0, "stable", "update"));

    assertThat(PodTable.summary(progress, "web:v2")).isEqualTo("0 of 0 pods on web:v2 (0%)");
  }

  // Expected values follow kubectl's AGE column: HumanDuration in
  // k8s.io/apimachinery/pkg/util/duration, except that a negative age (clock skew) prints 0s.
  @ParameterizedTest
  @CsvSource({
    "-5, 0s",
    "0, 0s",
    "45, 45s",
    "119, 119s",
    "120, 2m",
    "190, 3m10s",
    "599, 9m59s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "12600, 3h30m",
    "28799, 7h59m",
    "28800, 8h",
    "172799, 47h",
    "172800, 2d",
    "190800, 2d5h",
    "691199, 7d23h",
    "691200, 8d",
    "63071999, 729d",
    "63072000, 2y",
    "65664000, 2y30d",
    "252288000, 8y"
  })
  void ageFormatsLikeKubectl(long seconds, String expected) {
    assertThat(PodTable.age(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  private static StatefulSetState replicas(int replicas, String current, String update) {
    return new StatefulSetState(
        "shop",
        "web",
        2,
        2,
        replicas,
        replicas,
        0,
        replicas,
        current,
        update,
        0,
        StatefulSetState.ROLLING_UPDATE);
  }

  private static PodState pod(
      String name,
      int ordinal,
      boolean ready,
      String status,
      int restarts,
      String age,
      String image,
      String revision) {
    Duration duration = Duration.parse("PT" + age.toUpperCase());
    return new PodState(
        name, ordinal, ready, status, "", restarts, NOW.minus(duration), image, revision);
  }

  private static RolloutProgress progress(StatefulSetState statefulSet, PodState... pods) {
    return new RolloutProgress(
        Outcome.WAITING, List.of(), List.of(), "", statefulSet, List.of(pods), 0);
  }
}
