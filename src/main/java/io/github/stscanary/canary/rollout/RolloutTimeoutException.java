package io.github.stscanary.canary.rollout;

import java.util.List;

/** The rollout did not reach its target before the timeout. */
public class RolloutTimeoutException extends RolloutException {

  public RolloutTimeoutException(String message, RolloutProgress progress, List<String> details) {
    super(message, progress, details);
  }
}
