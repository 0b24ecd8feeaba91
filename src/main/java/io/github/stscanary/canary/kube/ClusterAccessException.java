package io.github.stscanary.canary.kube;

/** The cluster could not be reached or refused a request; the message says what to change. */
public class ClusterAccessException extends RuntimeException {

  public ClusterAccessException(String message) {
    super(message);
  }

  public ClusterAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
