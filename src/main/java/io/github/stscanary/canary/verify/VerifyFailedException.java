package io.github.stscanary.canary.verify;

import io.github.stscanary.canary.rollout.CanaryFailedException;

/**
 * Pods or the Service returned other than expected. It is a {@link CanaryFailedException}, so that
 * {@code canary:deploy} rolls back a canary that fails verification as it does one that cannot
 * become Ready.
 */
public class VerifyFailedException extends CanaryFailedException {

  private final transient VerifyResult result;

  public VerifyFailedException(VerifyResult result) {
    // No rollout snapshot: the rollout itself completed, and the verification is its own step in
    // the run report.
    super(result.failureMessage(), null, result.details());
    this.result = result;
  }

  public VerifyResult result() {
    return result;
  }
}
