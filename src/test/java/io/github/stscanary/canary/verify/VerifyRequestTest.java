package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerifyRequestTest {

  @Test
  void pathWithoutSlashIsRejected() {
    assertThatThrownBy(() -> request("version.html", 50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid canary.verifyPath 'version.html': it must start with '/', for example"
                + " -Dcanary.verifyPath=/version.html.");
  }

  @Test
  void zeroRequestsAreRejected() {
    assertThatThrownBy(() -> request("/version.html", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid canary.verifyRequests 0: it must be at least 1");
  }

  @Test
  void nodePortUrlIsParsed() {
    URI url = VerifyRequest.parseUrl("http://127.0.0.1:30080/version.html");

    assertThat(url).isEqualTo(URI.create("http://127.0.0.1:30080/version.html"));
  }

  @Test
  void blankUrlMeansServiceProxy() {
    assertThat(VerifyRequest.parseUrl(" ")).isNull();
  }

  @Test
  void urlWithoutHttpSchemeIsRejected() {
    assertThatThrownBy(() -> VerifyRequest.parseUrl("127.0.0.1:30080/version.html"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid canary.verifyUrl '127.0.0.1:30080/version.html'");
  }

  @Test
  void invalidPatternNamesProperty() {
    assertThatThrownBy(() -> VerifyRequest.parsePattern("This is (V2", "canary.expectCanary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid regular expression in canary.expectCanary:")
        .hasMessageContaining("-Dcanary.expectCanary=");
  }

  @Test
  void afterRolloutExpectsCanaryOnceSettled() {
    VerifyRequest request = VerifyRequests.standalone();

    assertThat(request.settledOnCanary()).isFalse();
    assertThat(request.afterRollout().settledOnCanary()).isTrue();
  }

  private static VerifyRequest request(String path, int requests) {
    return new VerifyRequest(
        "web",
        null,
        null,
        path,
        requests,
        null,
        null,
        null,
        false,
        Duration.ofSeconds(30),
        Duration.ofMinutes(2));
  }
}
