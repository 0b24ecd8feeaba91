package io.github.stscanary.canary.verify;

import java.time.Duration;
import java.util.regex.Pattern;

/** Requests for the verify unit tests, expecting {@code This is V2} and {@code This is V1}. */
final class VerifyRequests {

  private VerifyRequests() {}

  static VerifyRequest standalone() {
    return new VerifyRequest(
        "web",
        null,
        null,
        "/version.html",
        50,
        null,
        Pattern.compile("This is V2"),
        Pattern.compile("This is V1"),
        false,
        Duration.ofSeconds(30),
        Duration.ofMinutes(2));
  }
}
