package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServiceSampleTest {

  private static final String TARGET = "service/web:80 (API server proxy)";
  private static final Expectation CANARY =
      new Expectation(Expectation.CANARY, "canary.expectCanary", Pattern.compile("This is V2"));
  private static final Expectation STABLE =
      new Expectation(Expectation.STABLE, "canary.expectStable", Pattern.compile("This is V1"));

  @Test
  void countsResponsesByExpectation() {
    ServiceSample sample = new ServiceSample(TARGET, List.of(CANARY, STABLE), 3);

    sample.add(PageResponse.response(200, "This is V2"));
    sample.add(PageResponse.response(200, "This is V1"));
    sample.add(PageResponse.response(200, "This is V1"));

    assertThat(sample.count(Expectation.CANARY)).isEqualTo(1);
    assertThat(sample.count(Expectation.STABLE)).isEqualTo(2);
    assertThat(sample.problems()).isEmpty();
  }

  @Test
  void unseenVersionIsProblem() {
    ServiceSample sample = new ServiceSample(TARGET, List.of(CANARY, STABLE), 2);

    sample.add(PageResponse.response(200, "This is V1"));
    sample.add(PageResponse.response(200, "This is V1"));

    assertThat(sample.problems())
        .containsExactly(
            "No response from "
                + TARGET
                + " matches canary.expectCanary 'This is V2', although canary pods are Ready"
                + " behind it");
  }

  @Test
  void unexpectedResponseIsProblem() {
    ServiceSample sample = new ServiceSample(TARGET, List.of(STABLE), 2);

    sample.add(PageResponse.response(200, "This is V1"));
    sample.add(PageResponse.response(200, "This is V3"));

    assertThat(sample.problems())
        .containsExactly(
            "1 of 2 responses from " + TARGET + " match no expectation, the first: 'This is V3'");
  }

  @Test
  void responseMatchingBothIsAmbiguous() {
    Expectation anyVersion =
        new Expectation(Expectation.CANARY, "canary.expectCanary", Pattern.compile("This is V"));
    ServiceSample sample = new ServiceSample(TARGET, List.of(anyVersion, STABLE), 1);

    sample.add(PageResponse.response(200, "This is V1"));

    assertThat(sample.problems().get(0)).contains("match both canary.expectCanary");
    assertThat(sample.count(Expectation.CANARY)).isZero();
    assertThat(sample.count(Expectation.STABLE)).isZero();
  }

  @Test
  void failedRequestsAreProblem() {
    ServiceSample sample = new ServiceSample(TARGET, List.of(STABLE), 3);

    sample.add(PageResponse.response(200, "This is V1"));
    sample.add(
        PageResponse.response(503, "API server: no endpoints available for service \"web\""));
    sample.add(PageResponse.failure("timed out after 30000 ms"));

    assertThat(sample.problems())
        .containsExactly(
            "2 of 3 requests to "
                + TARGET
                + " failed, the first with: HTTP 503 'API server: no endpoints available for"
                + " service \"web\"'");
  }

  @Test
  void requestsNotSentAreProblem() {
    ServiceSample sample = new ServiceSample(TARGET, List.of(STABLE), 50);

    sample.add(PageResponse.response(200, "This is V1"));

    assertThat(sample.problems()).hasSize(1);
    assertThat(sample.problems().get(0))
        .startsWith("Only 1 of 50 requests to " + TARGET + " were sent before");
  }

  @Test
  void expectationWithoutPatternAcceptsAny() {
    Expectation anyPage = new Expectation(Expectation.STABLE, "canary.expectStable", null);
    ServiceSample sample = new ServiceSample(TARGET, List.of(anyPage), 2);

    sample.add(PageResponse.response(200, "anything"));
    sample.add(PageResponse.response(200, "something else"));

    assertThat(sample.problems()).isEmpty();
    assertThat(sample.attributable()).isFalse();
  }
}
