package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.RolloutProgress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectationsTest {

  @Test
  void pendingUpdateGivesEachRoleItsPattern() {
    RolloutProgress progress = Snapshots.canary(3);

    Map<String, Expectation> expectations =
        Expectations.forPods(VerifyRequests.standalone(), progress, Map.of());

    assertThat(expectations.get("web-0").name()).isEqualTo(Expectation.STABLE);
    assertThat(expectations.get("web-2").name()).isEqualTo(Expectation.STABLE);
    assertThat(expectations.get("web-3").name()).isEqualTo(Expectation.CANARY);
    assertThat(expectations.get("web-4").pattern().pattern()).isEqualTo("This is V2");
  }

  @Test
  void podOnOlderUpdateRevisionHasNoExpectation() {
    List<PodState> pods =
        List.of(
            Snapshots.pod(0, Snapshots.STABLE_REVISION),
            Snapshots.pod(1, Snapshots.STABLE_REVISION),
            Snapshots.pod(2, Snapshots.STABLE_REVISION),
            Snapshots.pod(3, Snapshots.OLDER_REVISION),
            Snapshots.pod(4, Snapshots.CANARY_REVISION));
    RolloutProgress progress =
        Snapshots.progress(
            Snapshots.state(Snapshots.STABLE_REVISION, Snapshots.CANARY_REVISION, 4), pods);

    Map<String, Expectation> expectations =
        Expectations.forPods(VerifyRequests.standalone(), progress, Map.of());

    assertThat(expectations).containsEntry("web-3", null);
    assertThat(expectations.get("web-4").name()).isEqualTo(Expectation.CANARY);
  }

  @Test
  void settledAfterRolloutExpectsCanary() {
    RolloutProgress progress = Snapshots.settled();

    Expectation settled =
        Expectations.settled(VerifyRequests.standalone().afterRollout(), progress, responses("V1"));

    assertThat(settled.name()).isEqualTo(Expectation.CANARY);
  }

  @Test
  void settledStandaloneTakesPatternMostPodsMatch() {
    RolloutProgress progress = Snapshots.settled();

    Expectation settled =
        Expectations.settled(VerifyRequests.standalone(), progress, responses("V2"));

    assertThat(settled.name()).isEqualTo(Expectation.CANARY);
  }

  @Test
  void settledStandaloneWithoutMatchesExpectsStable() {
    RolloutProgress progress = Snapshots.settled();

    Expectation settled =
        Expectations.settled(VerifyRequests.standalone(), progress, responses("V3"));

    assertThat(settled.name()).isEqualTo(Expectation.STABLE);
  }

  private static Map<String, PageResponse> responses(String version) {
    Map<String, PageResponse> responses = new HashMap<>();
    for (int ordinal = 0; ordinal < 5; ordinal++) {
      responses.put("web-" + ordinal, PageResponse.response(200, "This is " + version + "\n"));
    }
    return responses;
  }
}
