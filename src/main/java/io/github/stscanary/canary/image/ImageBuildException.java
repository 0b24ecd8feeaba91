package io.github.stscanary.canary.image;

/**
 * A build, push or registry check failure that the user can fix, such as a wrong reference, missing
 * credentials or an untrusted certificate. The message names the value and the setting to change.
 */
public class ImageBuildException extends Exception {

  /** The kind of failure, so callers and tests can react without parsing the message. */
  public enum Reason {
    INVALID_REQUEST,
    INVALID_REFERENCE,
    CONTENT_NOT_FOUND,
    BASE_IMAGE_NOT_FOUND,
    UNAUTHORIZED,
    UNTRUSTED_CERTIFICATE,
    INSECURE_CONNECTION,
    UNREACHABLE,
    OFFLINE,
    CREDENTIALS,
    REGISTRY_ERROR,
    MANIFEST_NOT_FOUND
  }

  private final Reason reason;

  public ImageBuildException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageBuildException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
