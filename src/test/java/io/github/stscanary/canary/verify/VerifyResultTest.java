package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RolloutProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyResultTest {

  private static final String TARGET = "service/web:80 (API server proxy)";

  @Test
  void shareComparesCanaryResponsesWithPods() {
    RolloutProgress progress = Snapshots.canary(3);
    VerifyResult result = result(progress, "V2", sample(19, 31));

    assertThat(result.passed()).isTrue();
    assertThat(result.share()).isEqualTo("19 of 50 answers from the canary (38%), expected 40%");
  }

  @Test
  void summaryNamesTargetAndShare() {
    VerifyResult result = result(Snapshots.canary(3), "V2", sample(19, 31));

    assertThat(result.summary())
        .isEqualTo(
            "Verified statefulset/web in 1.2 s: 5 of 5 pods return the expected page, and through "
                + TARGET
                + ": 19 of 50 answers from the canary (38%), expected 40%");
  }

  @Test
  void wrongCanaryPageFailsWithPodNamed() {
    VerifyResult result = result(Snapshots.canary(3), "V3", sample(0, 50));

    assertThat(result.passed()).isFalse();
    assertThat(result.failureMessage())
        .startsWith(
            "Verification of statefulset/web failed: Pod web-3 (canary) returned 'This is V3',"
                + " which does not match canary.expectCanary 'This is V2' (and 2 more, listed"
                + " above).");
  }

  @Test
  void tableHasOneRowPerPod() {
    VerifyResult result = result(Snapshots.canary(3), "V3", sample(0, 50));

    List<String> table = result.table();

    assertThat(table).hasSize(6);
    assertThat(table.get(0)).matches("NAME +READY +REVISION +ROLE +HTTP +EXPECTED +RESULT +BODY");
    assertThat(table.get(1))
        .matches(
            "web-0 +yes +"
                + Snapshots.STABLE_REVISION
                + " +stable +200 +This is V1 +ok +This is V1");
    assertThat(table.get(4))
        .matches(
            "web-3 +yes +"
                + Snapshots.CANARY_REVISION
                + " +canary +200 +This is V2 +mismatch +This is V3");
  }

  private static ServiceSample sample(int canary, int stable) {
    ServiceSample sample =
        new ServiceSample(
            TARGET,
            List.of(
                Expectation.canary(VerifyRequests.standalone()),
                Expectation.stable(VerifyRequests.standalone())),
            canary + stable);
    for (int index = 0; index < canary; index++) {
      sample.add(PageResponse.response(200, "This is V2"));
    }
    for (int index = 0; index < stable; index++) {
      sample.add(PageResponse.response(200, "This is V1"));
    }
    return sample;
  }

  // Stable pods return V1, and canary pods return canaryVersion.
  private static VerifyResult result(
      RolloutProgress progress, String canaryVersion, ServiceSample sample) {
    VerifyRequest request = VerifyRequests.standalone();
    List<PodCheck> checks = new ArrayList<>();
    for (PodState pod : progress.pods()) {
      String role = PodTable.role(progress, pod);
      boolean canary = Expectation.CANARY.equals(role);
      Expectation expected = canary ? Expectation.canary(request) : Expectation.stable(request);
      PageResponse response =
          PageResponse.response(200, "This is " + (canary ? canaryVersion : "V1"));
      checks.add(PodCheck.judge(pod, role, response, expected));
    }
    return new VerifyResult(progress, checks, sample, null, Duration.ofMillis(1234));
  }
}
