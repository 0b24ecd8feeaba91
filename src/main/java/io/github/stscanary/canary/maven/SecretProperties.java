package io.github.stscanary.canary.maven;

import org.apache.maven.execution.MavenSession;

/**
 * Reads secrets given as {@code -D} properties without binding them to mojo parameters. Maven 3
 * prints the value of every parameter it injects at debug level ({@code mvn -X}), so a password
 * parameter with a user property would end up in the build log. Reading the property here keeps it
 * out.
 */
final class SecretProperties {

  private SecretProperties() {}

  /**
   * Returns {@code configured} when the POM sets it, else the value of the user property ({@code
   * -Dproperty=value}), else that of the system property, else null.
   */
  static String resolve(String configured, MavenSession session, String property) {
    if (isSet(configured)) {
      return configured;
    }
    String value = session == null ? null : session.getUserProperties().getProperty(property);
    if (!isSet(value)) {
      value = System.getProperty(property);
    }
    return isSet(value) ? value : null;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
