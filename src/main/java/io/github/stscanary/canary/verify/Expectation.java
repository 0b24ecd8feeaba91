package io.github.stscanary.canary.verify;

import java.util.regex.Pattern;

/**
 * The version that a pod, or a response through the Service, should show.
 *
 * @param name {@code canary} or {@code stable}
 * @param property the parameter that set the pattern, for messages
 * @param pattern regular expression searched for in the body, or {@code null} to accept any body
 *     with a 2xx status
 */
record Expectation(String name, String property, Pattern pattern) {

  static final String CANARY = "canary";
  static final String STABLE = "stable";

  static Expectation canary(VerifyRequest request) {
    return new Expectation(CANARY, "canary.expectCanary", request.expectCanary());
  }

  static Expectation stable(VerifyRequest request) {
    return new Expectation(STABLE, "canary.expectStable", request.expectStable());
  }

  boolean hasPattern() {
    return pattern != null;
  }

  /** Returns whether {@code response} is successful and, when a pattern is set, contains it. */
  boolean acceptedBy(PageResponse response) {
    return pattern == null ? response.successful() : response.matches(pattern);
  }

  /** Returns the text of the table's EXPECTED column: the pattern, or {@code any 2xx}. */
  String describe() {
    return pattern == null ? "any 2xx" : pattern.pattern();
  }
}
