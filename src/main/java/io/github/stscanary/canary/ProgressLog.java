package io.github.stscanary.canary;

/**
 * Sink for the progress that services report. The Maven layer adapts it to the build log, and tests
 * collect the lines. Implementations must be thread-safe, because informer callbacks may log too.
 */
public interface ProgressLog {

  void info(String message);

  void warn(String message);

  void debug(String message);
}
