package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The run that holds a rollout lease, as stored in the lease's {@code spec.holderIdentity} and
 * annotations.
 *
 * @param identity {@code <user>@<host>:<pid>:<random>}, unique per run
 * @param user the {@code user.name} system property, or {@code null} when the lease has no
 *     annotation for it
 * @param host host name, or {@code null} when the lease has no annotation for it
 * @param goal goal with prefix, such as {@code canary:deploy}, or {@code null} when unknown
 * @param started acquire time as ISO-8601, or {@code null} when unknown
 */
record LeaseHolder(String identity, String user, String host, String goal, String started) {

  static final String HOST_ANNOTATION = "canary.stscanary.github.io/host";
  static final String USER_ANNOTATION = "canary.stscanary.github.io/user";
  static final String GOAL_ANNOTATION = "canary.stscanary.github.io/goal";
  static final String STARTED_ANNOTATION = "canary.stscanary.github.io/started";

  private static final String GOAL_PREFIX = "canary:";

  /**
   * Describes this JVM as the holder for a run of {@code goal}.
   *
   * @param goal goal name with or without the {@code canary:} prefix
   */
  static LeaseHolder current(String goal, Instant started) {
    String user = System.getProperty("user.name", "unknown-user");
    String host = hostName();
    String random = UUID.randomUUID().toString().substring(0, 8);
    String identity = user + "@" + host + ":" + ProcessHandle.current().pid() + ":" + random;
    String prefixedGoal = goal.startsWith(GOAL_PREFIX) ? goal : GOAL_PREFIX + goal;
    return new LeaseHolder(identity, user, host, prefixedGoal, started.toString());
  }

  /** Reads the holder that {@code lease} names, with {@code null} for missing annotations. */
  static LeaseHolder of(Lease lease) {
    Map<String, String> annotations =
        lease.getMetadata().getAnnotations() == null
            ? Map.of()
            : lease.getMetadata().getAnnotations();
    String identity = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    String started = annotations.get(STARTED_ANNOTATION);
    if (started == null && lease.getSpec() != null && lease.getSpec().getAcquireTime() != null) {
      started = lease.getSpec().getAcquireTime().toInstant().toString();
    }
    return new LeaseHolder(
        identity,
        annotations.get(USER_ANNOTATION),
        annotations.get(HOST_ANNOTATION),
        annotations.get(GOAL_ANNOTATION),
        started);
  }

  /** Returns a new lease named {@code name} that this holder acquired at {@code now}. */
  Lease newLease(String name, String namespace, int durationSeconds, Instant now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withAnnotations(annotations())
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds(durationSeconds)
        .withAcquireTime(LeaseClient.utc(now))
        .withRenewTime(LeaseClient.utc(now))
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  /**
   * Returns {@code existing} with this holder in place of the previous one and one more transition,
   * keeping its resourceVersion so that the update fails if the lease changed.
   */
  Lease takeOver(Lease existing, int durationSeconds, Instant now) {
    Integer transitions =
        existing.getSpec() == null ? null : existing.getSpec().getLeaseTransitions();
    return new LeaseBuilder(existing)
        .editMetadata()
        .addToAnnotations(annotations())
        .endMetadata()
        .editOrNewSpec()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds(durationSeconds)
        .withAcquireTime(LeaseClient.utc(now))
        .withRenewTime(LeaseClient.utc(now))
        .withLeaseTransitions(transitions == null ? 1 : transitions + 1)
        .endSpec()
        .build();
  }

  /** Returns whether {@code lease} names this holder. */
  boolean holds(Lease lease) {
    return lease.getSpec() != null && identity.equals(lease.getSpec().getHolderIdentity());
  }

  /** Returns the annotations that name this holder on the lease. */
  Map<String, String> annotations() {
    return Map.of(
        HOST_ANNOTATION, host,
        USER_ANNOTATION, user,
        GOAL_ANNOTATION, goal,
        STARTED_ANNOTATION, started);
  }

  /** Returns whether the lease names a holder at all. A released lease names none. */
  boolean present() {
    return identity != null && !identity.isEmpty();
  }

  /** Returns a phrase such as {@code canary:deploy run by alice on ci-7 (holder ...)}. */
  String describe() {
    if (user == null || host == null) {
      return "holder " + identity;
    }
    String run = goal == null ? "a canary goal" : goal;
    return run + " run by " + user + " on " + host + " (holder " + identity + ")";
  }

  // HOSTNAME comes first because InetAddress.getLocalHost() may wait for DNS. Docker and Kubernetes
  // set HOSTNAME in containers.
  private static String hostName() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
