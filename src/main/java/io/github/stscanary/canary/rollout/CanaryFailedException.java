package io.github.stscanary.canary.rollout;

import java.util.List;

/** A canary whose pods cannot become Ready; the StatefulSet was already changed. */
public class CanaryFailedException extends RolloutException {

  public CanaryFailedException(String message, RolloutProgress progress, List<String> details) {
    super(message, progress, details);
  }
}
