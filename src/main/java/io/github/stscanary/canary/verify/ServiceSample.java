package io.github.stscanary.canary.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The responses to the requests through the Service, counted by the expectation they match.
 *
 * <p>A response counts for an expectation when it is successful and contains exactly one of the
 * patterns of {@code expectations}. One that contains several is ambiguous, and one that contains
 * none is unexpected, unless an expectation without a pattern accepts any successful response.
 */
final class ServiceSample {

  private final String target;
  private final List<Expectation> expectations;
  private final int requested;
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final List<PageResponse> failed = new ArrayList<>();
  private final List<PageResponse> unexpected = new ArrayList<>();
  private final List<PageResponse> ambiguous = new ArrayList<>();
  private int sent;

  /**
   * @param target what the requests went to, for messages: a URL or {@code service/NAME:PORT}
   * @param expectations the distinct expectations of the Ready pods behind the Service
   * @param requested the number of requests planned
   */
  ServiceSample(String target, List<Expectation> expectations, int requested) {
    this.target = target;
    this.expectations = List.copyOf(expectations);
    this.requested = requested;
    for (Expectation expectation : expectations) {
      counts.put(expectation.name(), 0);
    }
  }

  void add(PageResponse response) {
    sent++;
    if (!response.successful()) {
      failed.add(response);
      return;
    }
    List<Expectation> matched = new ArrayList<>();
    boolean anyAccepted = false;
    for (Expectation expectation : expectations) {
      if (!expectation.hasPattern()) {
        anyAccepted = true;
      } else if (response.matches(expectation.pattern())) {
        matched.add(expectation);
      }
    }
    if (matched.size() == 1) {
      counts.merge(matched.get(0).name(), 1, Integer::sum);
    } else if (matched.size() > 1) {
      ambiguous.add(response);
    } else if (!anyAccepted) {
      unexpected.add(response);
    }
  }

  String target() {
    return target;
  }

  int sent() {
    return sent;
  }

  int requested() {
    return requested;
  }

  int count(String expectation) {
    return counts.getOrDefault(expectation, 0);
  }

  /** Returns whether every expectation has a pattern, so each response can be attributed. */
  boolean attributable() {
    return !expectations.isEmpty() && expectations.stream().allMatch(Expectation::hasPattern);
  }

  /**
   * Returns one sentence per problem: failed, unexpected or ambiguous responses, unseen versions.
   */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (sent < requested) {
      problems.add(
          "Only "
              + sent
              + " of "
              + requested
              + " requests to "
              + target
              + " were sent before canary.verifyTimeout passed. Raise -Dcanary.verifyTimeout or"
              + " lower -Dcanary.verifyRequests");
    }
    if (!failed.isEmpty()) {
      problems.add(
          failed.size()
              + " of "
              + sent
              + " requests to "
              + target
              + " failed, the first with: "
              + describe(failed.get(0)));
    }
    if (!unexpected.isEmpty()) {
      problems.add(
          unexpected.size()
              + " of "
              + sent
              + " responses from "
              + target
              + " match no expectation, the first: '"
              + unexpected.get(0).excerpt()
              + "'");
    }
    if (!ambiguous.isEmpty()) {
      problems.add(
          ambiguous.size()
              + " of "
              + sent
              + " responses from "
              + target
              + " match both canary.expectCanary and canary.expectStable, the first: '"
              + ambiguous.get(0).excerpt()
              + "'. Make the patterns tell the versions apart");
    }
    if (attributable() && expectations.size() > 1) {
      for (Expectation expectation : expectations) {
        if (count(expectation.name()) == 0) {
          problems.add(
              "No response from "
                  + target
                  + " matches "
                  + expectation.property()
                  + " '"
                  + expectation.describe()
                  + "', although "
                  + expectation.name()
                  + " pods are Ready behind it");
        }
      }
    }
    return problems;
  }

  private static String describe(PageResponse response) {
    return response.error() != null
        ? response.error()
        : "HTTP " + response.status() + " '" + response.excerpt() + "'";
  }
}
