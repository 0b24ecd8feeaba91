package io.github.stscanary.canary.kube;

/** Failure to reach the cluster, or a request it rejected. The message names what to change. */
public class ClusterAccessException extends RuntimeException {

  public ClusterAccessException(String message) {
    super(message);
  }

  public ClusterAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
