package io.github.stscanary.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "300, PT5M",
    "300s, PT5M",
    "30s, PT30S",
    "5m, PT5M",
    "1h, PT1H",
    "500ms, PT0.5S",
    "0, PT0S",
    "'  45s ', PT45S",
    "'5 m', PT5M",
    "PT5M, PT5M",
    "PT1H30M, PT1H30M",
    "P1D, PT24H"
  })
  void parseAcceptsDocumentedForms(String text, Duration expected) {
    assertThat(Durations.parse(text, "canary.timeout")).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "five minutes",
        "5x",
        "5M",
        "1.5m",
        "-5s",
        "PT-5M",
        "5m30s",
        "99999999999999999999",
        "9999999999999999h"
      })
  void parseRejectsOtherText(String text) {
    assertThatThrownBy(() -> Durations.parse(text, "canary.timeout"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid duration '"
                + text
                + "' for canary.timeout: use seconds (300), a unit (500ms, 30s, 5m, 1h) or"
                + " ISO-8601 (PT5M).");
  }

  @Test
  void parseRejectsNullNamingProperty() {
    assertThatThrownBy(() -> Durations.parse(null, "canary.requestTimeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid duration 'null' for canary.requestTimeout:");
  }
}
