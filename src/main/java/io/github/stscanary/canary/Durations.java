package io.github.stscanary.canary;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them in a pom or on the command line. */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * Parses {@code 300} (seconds), {@code 300s}, {@code 5m}, {@code 1h}, {@code 500ms} or an
   * ISO-8601 duration such as {@code PT5M}.
   *
   * @param property the property the value came from, named in the error
   * @throws IllegalArgumentException for any other text or a negative duration
   */
  public static Duration parse(String text, String property) {
    String value = text == null ? "" : text.trim();
    Matcher matcher = SIMPLE.matcher(value);
    if (matcher.matches()) {
      try {
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofSeconds(amount);
        };
      } catch (NumberFormatException | ArithmeticException e) {
        // Too many digits for a long, or too many hours or minutes for a Duration: the error
        // below names the accepted forms.
      }
    }
    try {
      Duration duration = Duration.parse(value);
      if (!duration.isNegative()) {
        return duration;
      }
    } catch (DateTimeParseException e) {
      // Falls through to the error below, which names the accepted forms.
    }
    throw new IllegalArgumentException(
        "Invalid duration '"
            + text
            + "' for "
            + property
            + ": use seconds (300), a unit (500ms, 30s, 5m, 1h) or ISO-8601 (PT5M).");
  }
}
