package io.github.stscanary.canary.reliability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads parts of a Maven run's console output. */
final class MavenOutput {

  // Maven 3 prints a goal's failure as "[ERROR] Failed to execute goal G (id) on project P:
  // MESSAGE -> [Help 1]", with "[ERROR] " before each further line of a multi-line message.
  private static final Pattern FAILURE =
      Pattern.compile(
          "\\[ERROR] Failed to execute goal [^\\n]*? on project [^:]+: (.*?) ?-> \\[Help 1]",
          Pattern.DOTALL);

  private MavenOutput() {}

  /** Returns the goal's failure message, or the whole output when there is none. */
  static String failure(String output) {
    Matcher matcher = FAILURE.matcher(output);
    if (!matcher.find()) {
      return output;
    }
    return matcher.group(1).replace("\n[ERROR] ", "\n").strip();
  }

  /**
   * Returns how many lines of {@code output} start with {@code [WARNING]} and contain {@code text}.
   */
  static long warnings(String output, String text) {
    return output
        .lines()
        .filter(line -> line.startsWith("[WARNING]") && line.contains(text))
        .count();
  }
}
