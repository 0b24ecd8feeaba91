package io.github.stscanary.canary.image;

import java.util.HashMap;
import java.util.Map;

/**
 * Sets Java system properties and restores their previous values on {@link #close()}. System
 * properties are JVM-wide, so callers must serialize builds that use this.
 */
final class ScopedSystemProperties implements AutoCloseable {

  private final Map<String, String> previousValues = new HashMap<>();

  private ScopedSystemProperties() {}

  static ScopedSystemProperties set(Map<String, String> properties) {
    ScopedSystemProperties scope = new ScopedSystemProperties();
    properties.forEach(
        (key, value) -> scope.previousValues.put(key, System.setProperty(key, value)));
    return scope;
  }

  @Override
  public void close() {
    previousValues.forEach(
        (key, previous) -> {
          if (previous == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, previous);
          }
        });
  }
}
