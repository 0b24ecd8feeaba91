package io.github.stscanary.canary.rollout;

import java.util.List;
import java.util.Optional;

/**
 * A rollout request that was rejected, or a rollout that failed or timed out. The message names
 * what failed and what to do next, and {@link #details()} adds lines such as a pod table.
 */
public class RolloutException extends RuntimeException {

  private final transient RolloutProgress progress;
  private final List<String> details;

  public RolloutException(String message) {
    this(message, null, List.of());
  }

  /** Creates a rejection whose cause is kept for the debug log. */
  public RolloutException(String message, Throwable cause) {
    super(message, cause);
    this.progress = null;
    this.details = List.of();
  }

  public RolloutException(String message, RolloutProgress progress, List<String> details) {
    super(message);
    this.progress = progress;
    this.details = List.copyOf(details);
  }

  /** Returns the last snapshot of the rollout, when it had started. */
  public Optional<RolloutProgress> progress() {
    return Optional.ofNullable(progress);
  }

  public List<String> details() {
    return details;
  }
}
