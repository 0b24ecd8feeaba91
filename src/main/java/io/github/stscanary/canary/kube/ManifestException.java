package io.github.stscanary.canary.kube;

/** A manifest file that cannot be read or applied; the message names the file and the fix. */
public class ManifestException extends RuntimeException {

  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
