package io.github.stscanary.canary.verify;

import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RolloutProgress;
import java.util.HashMap;
import java.util.Map;

/** Decides which expectation applies to each pod of a StatefulSet. */
final class Expectations {

  private Expectations() {}

  /**
   * Returns the expectation of each pod by name, {@code null} for a pod of role {@code other}.
   * While an update is pending, canary pods get {@code expectCanary} and stable pods {@code
   * expectStable}. Once every pod runs one revision, all of them get the expectation that {@link
   * #settled} picks.
   */
  static Map<String, Expectation> forPods(
      VerifyRequest request, RolloutProgress progress, Map<String, PageResponse> responses) {
    Map<String, Expectation> expectations = new HashMap<>();
    boolean updatePending = progress.statefulSet().updatePending();
    Expectation settled = updatePending ? null : settled(request, progress, responses);
    for (PodState pod : progress.pods()) {
      String role = PodTable.role(progress, pod);
      Expectation expectation;
      if (!updatePending) {
        expectation = settled;
      } else if (Expectation.CANARY.equals(role)) {
        expectation = Expectation.canary(request);
      } else if (Expectation.STABLE.equals(role)) {
        expectation = Expectation.stable(request);
      } else {
        expectation = null;
      }
      expectations.put(pod.name(), expectation);
    }
    return expectations;
  }

  /**
   * Returns the expectation for pods that all run one revision: {@code expectCanary} right after a
   * rollout ({@link VerifyRequest#settledOnCanary()}), else the one that more pods match, with
   * {@code expectStable} on a tie.
   */
  static Expectation settled(
      VerifyRequest request, RolloutProgress progress, Map<String, PageResponse> responses) {
    Expectation canary = Expectation.canary(request);
    Expectation stable = Expectation.stable(request);
    if (request.settledOnCanary() || !stable.hasPattern()) {
      return canary;
    }
    if (!canary.hasPattern()) {
      return stable;
    }
    int canaryMatches = 0;
    int stableMatches = 0;
    for (PodState pod : progress.pods()) {
      PageResponse response = responses.get(pod.name());
      if (response != null && response.matches(canary.pattern())) {
        canaryMatches++;
      }
      if (response != null && response.matches(stable.pattern())) {
        stableMatches++;
      }
    }
    return canaryMatches > stableMatches ? canary : stable;
  }
}
