package io.github.stscanary.canary.kube;

import java.time.Duration;

/** Another run holds the rollout lease of a StatefulSet, so this run must not change it. */
public class LeaseHeldException extends ClusterAccessException {

  private final String leaseName;
  private final String namespace;
  private final String holderIdentity;
  private final String user;
  private final String host;
  private final String goal;
  private final String since;
  private final Duration expiresIn;

  /**
   * Creates the exception and its message.
   *
   * @param user user name of the other run, or {@code null} when the lease has no such annotation
   * @param host host name of the other run, or {@code null} when the lease has no such annotation
   * @param goal goal of the other run, such as {@code canary:deploy}, or {@code null} when unknown
   * @param since when the other run acquired the lease, ISO-8601, or {@code null} when unknown
   */
  public LeaseHeldException(
      String statefulSet,
      String namespace,
      String leaseName,
      String holderIdentity,
      String user,
      String host,
      String goal,
      String since,
      Duration expiresIn) {
    super(
        message(
            statefulSet, namespace, leaseName, holderIdentity, user, host, goal, since, expiresIn));
    this.leaseName = leaseName;
    this.namespace = namespace;
    this.holderIdentity = holderIdentity;
    this.user = user;
    this.host = host;
    this.goal = goal;
    this.since = since;
    this.expiresIn = expiresIn;
  }

  private static String message(
      String statefulSet,
      String namespace,
      String leaseName,
      String holderIdentity,
      String user,
      String host,
      String goal,
      String since,
      Duration expiresIn) {
    String holder =
        user == null || host == null
            ? "holder " + holderIdentity
            : (goal == null ? "a canary goal" : goal) + " run by " + user + " on " + host;
    return "statefulset/"
        + statefulSet
        + " in namespace "
        + namespace
        + " is locked by "
        + holder
        + " since "
        + (since == null ? "an unknown time" : since)
        + " (lease "
        + leaseName
        + ", expires in "
        + Math.max(0, expiresIn.toSeconds())
        + " s). Wait for that run to finish, or delete the lease with 'kubectl delete lease "
        + leaseName
        + " -n "
        + namespace
        + "' if that run is gone.";
  }

  public String leaseName() {
    return leaseName;
  }

  public String namespace() {
    return namespace;
  }

  /** Returns the {@code spec.holderIdentity} of the lease, {@code <user>@<host>:<pid>:<random>}. */
  public String holderIdentity() {
    return holderIdentity;
  }

  /** Returns the user name of the other run, or {@code null} when the lease does not name it. */
  public String user() {
    return user;
  }

  /** Returns the host name of the other run, or {@code null} when the lease does not name it. */
  public String host() {
    return host;
  }

  /** Returns the goal of the other run, such as {@code canary:deploy}, or {@code null}. */
  public String goal() {
    return goal;
  }

  /** Returns when the other run acquired the lease, ISO-8601, or {@code null} when unknown. */
  public String since() {
    return since;
  }

  /** Returns the time until the lease expires, unless its holder renews it. */
  public Duration expiresIn() {
    return expiresIn;
  }
}
