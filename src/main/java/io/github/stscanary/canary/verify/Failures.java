package io.github.stscanary.canary.verify;

import java.io.IOException;

/** Describes transport errors for the pod table. */
final class Failures {

  private Failures() {}

  /**
   * Returns the message of the innermost cause, with the exception's simple name for I/O errors
   * whose message alone is unclear, such as {@code ConnectException: null}.
   */
  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    if (cause instanceof IOException || message.isEmpty()) {
      return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
    return message;
  }
}
