package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stscanary.canary.ProgressLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code coordination.k8s.io/v1} Lease that keeps two runs of the plugin from changing the same
 * StatefulSet at once.
 *
 * <p>The lease is named {@code <statefulset>-canary-lock} and lives in the StatefulSet's namespace.
 * While this run holds it, a daemon thread renews it every third of the lease duration. {@link
 * #release()} deletes it only while this run still holds it, and a JVM shutdown hook releases it
 * when the build is stopped, for example with Ctrl-C.
 */
public final class RolloutLease implements AutoCloseable {

  /** Attempts of one read-and-write cycle before giving up on conflicts (HTTP 409). */
  static final int MAX_ATTEMPTS = 5;

  private final LeaseClient leases;
  private final String statefulSet;
  private final LeaseHolder holder;
  private final int durationSeconds;
  private final ProgressLog log;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile LeaseRenewer renewer;
  private Thread shutdownHook;

  private RolloutLease(
      LeaseClient leases,
      String statefulSet,
      LeaseHolder holder,
      int durationSeconds,
      ProgressLog log) {
    this.leases = leases;
    this.statefulSet = statefulSet;
    this.holder = holder;
    this.durationSeconds = durationSeconds;
    this.log = log;
  }

  /**
   * Acquires the lease for {@code statefulSet} in the connection's namespace, creating it or taking
   * it over when it has expired, and starts renewing it.
   *
   * @param goal the goal that changes the StatefulSet, such as {@code deploy}; other runs see it in
   *     their error message
   * @param leaseDuration how long the lease stays valid without a renewal, at least 1 s, rounded up
   *     to whole seconds. A run that dies without releasing the lease blocks other runs this long.
   * @throws LeaseHeldException when another run holds the lease and it has not expired
   * @throws ClusterAccessException when a request fails, for example because the role may not get,
   *     create, update or delete leases
   */
  public static RolloutLease acquire(
      ClusterConnection connection,
      String statefulSet,
      String goal,
      Duration leaseDuration,
      ProgressLog log) {
    return acquire(
        connection.client(),
        connection.namespace(),
        statefulSet,
        goal,
        leaseDuration,
        log,
        Clock.systemUTC());
  }

  /** Acquires the lease as the public overload does, reading the time from {@code clock}. */
  static RolloutLease acquire(
      KubernetesClient client,
      String namespace,
      String statefulSet,
      String goal,
      Duration leaseDuration,
      ProgressLog log,
      Clock clock) {
    if (statefulSet == null || statefulSet.isBlank()) {
      throw new IllegalArgumentException(
          "Missing StatefulSet name for the rollout lease: set <statefulSet> or"
              + " -Dcanary.statefulSet.");
    }
    if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "Invalid lease duration " + leaseDuration + ": use at least 1 s.");
    }
    LeaseClient leases = new LeaseClient(client, namespace, LeaseClient.leaseName(statefulSet));
    LeaseHolder holder = LeaseHolder.current(goal, clock.instant());
    int durationSeconds = Math.toIntExact((leaseDuration.toMillis() + 999) / 1000);
    RolloutLease lease = new RolloutLease(leases, statefulSet, holder, durationSeconds, log);

    Lease acquired = lease.take(clock);
    lease.renewer =
        new LeaseRenewer(leases, holder, statefulSet, durationSeconds, clock, log, acquired);
    lease.renewer.start(Math.max(1, leaseDuration.toMillis() / 3));
    lease.addShutdownHook();
    return lease;
  }

  public String name() {
    return leases.name();
  }

  public String namespace() {
    return leases.namespace();
  }

  /**
   * Returns the {@code spec.holderIdentity} this run writes, {@code <user>@<host>:<pid>:<random>}.
   */
  public String holderIdentity() {
    return holder.identity();
  }

  /**
   * Returns whether another run took the lease over, or someone deleted it, while this run held it.
   * The caller should then stop changing the StatefulSet.
   */
  public boolean lost() {
    return renewer.lost();
  }

  /**
   * Stops renewing and deletes the lease if this run still holds it. Failures are logged as
   * warnings and not thrown, because the lease expires by itself. Calls after the first one return
   * at once.
   */
  public void release() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    renewer.stop(leases.requestTimeoutMillis());
    removeShutdownHook();
    deleteIfHeld();
  }

  /** Releases the lease, as {@link #release()} does. */
  @Override
  public void close() {
    release();
  }

  /** Renews the lease once, as the renewal thread does. Tests call it instead of waiting. */
  void renew() {
    renewer.renew();
  }

  private Lease take(Clock clock) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Lease existing = leases.get();
      Instant now = clock.instant();
      if (existing == null) {
        Lease created =
            leases.create(holder.newLease(leases.name(), leases.namespace(), durationSeconds, now));
        if (created != null) {
          log.info("Locked statefulset/" + statefulSet + " with " + describe());
          return created;
        }
      } else {
        rejectIfHeld(existing, now);
        Lease updated = leases.update(holder.takeOver(existing, durationSeconds, now));
        if (updated != null) {
          logTakeOver(existing);
          return updated;
        }
      }
      log.debug(
          String.format(
              "Lease %s changed while this run acquired it (attempt %d of %d), reading it again",
              leases.name(), attempt, MAX_ATTEMPTS));
    }
    throw new ClusterAccessException(
        String.format(
            "Failed to acquire lease %s in namespace %s: it changed %d times while this run tried"
                + " to take it, so another run is acquiring it. Retry in a few seconds.",
            leases.name(), leases.namespace(), MAX_ATTEMPTS));
  }

  private void rejectIfHeld(Lease existing, Instant now) {
    LeaseHolder other = LeaseHolder.of(existing);
    Instant expiry = LeaseClient.expiry(existing, durationSeconds);
    if (!other.present() || !expiry.isAfter(now)) {
      return;
    }
    throw new LeaseHeldException(
        statefulSet,
        leases.namespace(),
        leases.name(),
        other.identity(),
        other.user(),
        other.host(),
        other.goal(),
        other.started(),
        Duration.between(now, expiry));
  }

  private void logTakeOver(Lease previous) {
    LeaseHolder other = LeaseHolder.of(previous);
    if (!other.present()) {
      log.info("Locked statefulset/" + statefulSet + " with the released " + describe());
      return;
    }
    log.warn(
        String.format(
            "Took over expired lease %s in namespace %s from %s: it was not renewed after %s. If"
                + " that run still changes statefulset/%s, stop it.",
            leases.name(),
            leases.namespace(),
            other.describe(),
            LeaseClient.expiry(previous, durationSeconds),
            statefulSet));
  }

  private void deleteIfHeld() {
    try {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        Lease latest = leases.get();
        if (latest == null) {
          log.debug("Lease " + leases.name() + " is already deleted");
          return;
        }
        if (!holder.holds(latest)) {
          log.info(
              String.format(
                  "Left lease %s in namespace %s in place: it is held by %s",
                  leases.name(), leases.namespace(), LeaseHolder.of(latest).describe()));
          return;
        }
        if (leases.delete(latest.getMetadata().getResourceVersion())) {
          log.info("Released " + describe());
          return;
        }
      }
      warnNotReleased(
          "it changed " + MAX_ATTEMPTS + " times in a row while this run tried to delete it");
    } catch (ClusterAccessException e) {
      warnNotReleased(e.getMessage());
    }
  }

  private void warnNotReleased(String reason) {
    log.warn(
        String.format(
            "Failed to release lease %1$s in namespace %2$s: %3$s. It expires %4$d s after its"
                + " last renewal; to unlock statefulset/%5$s sooner, run 'kubectl delete lease"
                + " %1$s -n %2$s'.",
            leases.name(), leases.namespace(), reason, durationSeconds, statefulSet));
  }

  private synchronized void addShutdownHook() {
    Thread hook = new Thread(this::releaseOnShutdown, "canary-lease-release-" + leases.name());
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  private synchronized void removeShutdownHook() {
    if (shutdownHook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down, so the hook runs now or has run, and finds the lease released.
    }
  }

  /**
   * Releases the lease on a daemon thread and waits for at most three request timeouts (for the
   * renewal in flight, the read and the delete), so that an unreachable API server cannot keep the
   * JVM from exiting.
   */
  private void releaseOnShutdown() {
    Thread worker = new Thread(this::release, "canary-lease-release-worker-" + leases.name());
    worker.setDaemon(true);
    worker.start();
    try {
      worker.join(3 * leases.requestTimeoutMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String describe() {
    return String.format(
        "lease %s in namespace %s (holder %s)",
        leases.name(), leases.namespace(), holder.identity());
  }
}
