package io.github.stscanary.canary.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;

/** Reads the partition from {@code canary.partition} or the short {@code -Dpartition}. */
final class Partitions {

  /** The short user property accepted beside {@code canary.partition}. */
  static final String SHORT_PROPERTY = "partition";

  private Partitions() {}

  /**
   * Returns the partition from the parameter, else from {@code -Dpartition}.
   *
   * @throws MojoFailureException when neither is set, the value is not a whole number, or both are
   *     set to different values
   */
  static int resolve(String parameter, MavenSession session) throws MojoFailureException {
    String shortValue =
        session == null ? null : session.getUserProperties().getProperty(SHORT_PROPERTY);
    if (parameter != null && shortValue != null && !parameter.trim().equals(shortValue.trim())) {
      throw new MojoFailureException(
          "Conflicting partitions: canary.partition="
              + parameter
              + " and partition="
              + shortValue
              + ". Set only one of -Dcanary.partition and -Dpartition.");
    }
    String value = parameter != null ? parameter : shortValue;
    if (value == null || value.isBlank()) {
      throw new MojoFailureException(
          "No partition set. Pass -Dpartition=N (or -Dcanary.partition=N, or <partition> in the"
              + " plugin configuration): pods with ordinal N and above get the new image.");
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new MojoFailureException(
          "Invalid partition '"
              + value
              + "': not a whole number. Pass -Dpartition=N, for example"
              + " -Dpartition=3.");
    }
  }
}
