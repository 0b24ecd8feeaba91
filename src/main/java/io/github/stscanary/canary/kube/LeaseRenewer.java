package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.github.stscanary.canary.ProgressLog;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews a held rollout lease on a daemon thread, and stops when another run took the lease over or
 * someone deleted it.
 */
final class LeaseRenewer {

  private static final int WARN_AFTER_FAILURES = 3;

  private final LeaseClient leases;
  private final LeaseHolder holder;
  private final String statefulSet;
  private final int durationSeconds;
  private final Clock clock;
  private final ProgressLog log;
  private final ScheduledExecutorService executor;
  private volatile Lease current;
  private volatile boolean lost;
  private volatile boolean stopped;
  // Read and written only by the renewal thread, or by a test that calls renew() directly.
  private int failuresInARow;

  /**
   * Creates a renewer for {@code acquired}, the lease as the API server returned it when this run
   * created or took it over.
   */
  LeaseRenewer(
      LeaseClient leases,
      LeaseHolder holder,
      String statefulSet,
      int durationSeconds,
      Clock clock,
      ProgressLog log,
      Lease acquired) {
    this.leases = leases;
    this.holder = holder;
    this.statefulSet = statefulSet;
    this.durationSeconds = durationSeconds;
    this.clock = clock;
    this.log = log;
    this.current = acquired;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "canary-lease-renewal-" + leases.name());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Renews every {@code periodMillis}, starting one period from now. */
  void start(long periodMillis) {
    executor.scheduleWithFixedDelay(this::renew, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Stops renewing and waits up to {@code timeoutMillis} for a renewal in flight, so that a delete
   * after this call reads the lease that renewal wrote.
   */
  void stop(long timeoutMillis) {
    stopped = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        log.debug("A renewal of lease " + leases.name() + " still runs; releasing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean lost() {
    return lost;
  }

  /**
   * Renews the lease once. It catches every runtime exception, because one that escaped from the
   * scheduled task would cancel all later renewals without a trace.
   */
  void renew() {
    if (stopped || lost) {
      return;
    }
    try {
      renewOnce();
      if (failuresInARow > 0 && !lost) {
        log.info("Renewed lease " + leases.name() + " after " + failuresInARow + " failures");
      }
      failuresInARow = 0;
    } catch (RuntimeException e) {
      failuresInARow++;
      logFailure(e);
    }
  }

  private void renewOnce() {
    for (int attempt = 1; attempt <= RolloutLease.MAX_ATTEMPTS; attempt++) {
      Lease renewed =
          new LeaseBuilder(current)
              .editSpec()
              .withRenewTime(LeaseClient.utc(clock.instant()))
              .endSpec()
              .build();
      Lease stored = leases.update(renewed);
      if (stored != null) {
        current = stored;
        return;
      }
      Lease latest = leases.get();
      if (latest == null || !holder.holds(latest)) {
        markLost(latest);
        return;
      }
      current = latest;
    }
    throw new ClusterAccessException(
        String.format(
            "Failed to renew lease %s in namespace %s: it changed %d times in a row while this run"
                + " held it.",
            leases.name(), leases.namespace(), RolloutLease.MAX_ATTEMPTS));
  }

  private void logFailure(RuntimeException e) {
    String message =
        String.format(
            "Failed to renew lease %s in namespace %s (%d failures in a row): %s",
            leases.name(), leases.namespace(), failuresInARow, e.getMessage());
    if (failuresInARow % WARN_AFTER_FAILURES != 0) {
      log.debug(message);
      return;
    }
    log.warn(
        String.format(
            "%s. Unless a renewal succeeds, the lease expires at %s and another run may then"
                + " change statefulset/%s.",
            message, LeaseClient.expiry(current, durationSeconds), statefulSet));
  }

  private void markLost(Lease latest) {
    lost = true;
    executor.shutdown();
    if (stopped) {
      return;
    }
    String reason =
        latest == null
            ? "someone deleted it"
            : "it is now held by " + LeaseHolder.of(latest).describe();
    log.warn(
        String.format(
            "Lost lease %s in namespace %s: %s. Another run may now change statefulset/%s, and"
                + " this run stops renewing the lease.",
            leases.name(), leases.namespace(), reason, statefulSet));
  }
}
