package io.github.stscanary.canary.verify;

import io.github.stscanary.canary.rollout.PodState;

/**
 * One pod's response through the pod proxy, judged against the expectation of its role.
 *
 * @param pod the pod as the rollout check reads it
 * @param role {@code canary}, {@code stable} or {@code other}, as the pod table names it
 * @param response the response to the pod proxy request
 * @param expected the expectation that applies, or {@code null} for a pod of role {@code other}
 * @param result {@code ok}, or a short reason for the RESULT column such as {@code mismatch}
 * @param problem a sentence on what is wrong, or {@code null} when the result is {@code ok}
 */
record PodCheck(
    PodState pod,
    String role,
    PageResponse response,
    Expectation expected,
    String result,
    String problem) {

  static final String OK = "ok";

  boolean passed() {
    return problem == null;
  }

  /** Judges {@code response} of {@code pod} against {@code expected}. */
  static PodCheck judge(PodState pod, String role, PageResponse response, Expectation expected) {
    String name = "Pod " + pod.name() + " (" + role + ")";
    if (expected == null) {
      return new PodCheck(
          pod,
          role,
          response,
          null,
          "old revision",
          name
              + " runs revision "
              + pod.revision()
              + ", an older update revision that neither expectation covers. Roll back with"
              + " 'mvn canary:rollback' or deploy again");
    }
    if (!pod.ready()) {
      return new PodCheck(
          pod,
          role,
          response,
          expected,
          "not Ready",
          name + " is not Ready (" + pod.status() + ")");
    }
    if (response.error() != null) {
      return new PodCheck(
          pod,
          role,
          response,
          expected,
          "no response",
          name + " sent no response: " + response.error());
    }
    if (!response.successful()) {
      return new PodCheck(
          pod,
          role,
          response,
          expected,
          "HTTP " + response.status(),
          name + " returned HTTP " + response.status() + ": '" + response.excerpt() + "'");
    }
    if (!expected.acceptedBy(response)) {
      return new PodCheck(
          pod,
          role,
          response,
          expected,
          "mismatch",
          name
              + " returned '"
              + response.excerpt()
              + "', which does not match "
              + expected.property()
              + " '"
              + expected.describe()
              + "'");
    }
    return new PodCheck(pod, role, response, expected, OK, null);
  }
}
