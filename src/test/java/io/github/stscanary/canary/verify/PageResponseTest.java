package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PageResponseTest {

  @Test
  void excerptCollapsesWhitespaceToOneLine() {
    PageResponse response =
        PageResponse.response(200, "<html>\n  <body>This is V2</body>\n</html>\n");

    assertThat(response.excerpt()).isEqualTo("<html> <body>This is V2</body> </html>");
  }

  @Test
  void excerptCutsLongBodies() {
    PageResponse response = PageResponse.response(200, "x".repeat(100));

    assertThat(response.excerpt()).hasSize(PageResponse.EXCERPT_LENGTH);
    assertThat(response.excerpt()).endsWith("xx...");
  }

  @Test
  void excerptOfFailureIsError() {
    PageResponse response = PageResponse.failure("ConnectException: Connection refused");

    assertThat(response.excerpt()).isEqualTo("ConnectException: Connection refused");
    assertThat(response.statusText()).isEqualTo("-");
    assertThat(response.successful()).isFalse();
  }

  @Test
  void matchesSearchesSuccessfulBody() {
    Pattern v2 = Pattern.compile("This is V2");

    assertThat(PageResponse.response(200, "<p>This is V2</p>").matches(v2)).isTrue();
    assertThat(PageResponse.response(200, "This is V1").matches(v2)).isFalse();
    assertThat(PageResponse.response(404, "This is V2 not found").matches(v2)).isFalse();
  }

  @Test
  void successfulMeansStatus2xx() {
    assertThat(PageResponse.response(204, "").successful()).isTrue();
    assertThat(PageResponse.response(301, "").successful()).isFalse();
    assertThat(PageResponse.response(503, "").successful()).isFalse();
  }
}
