package io.github.stscanary.canary;

/**
 * Where services report progress. The Maven layer adapts it to the build log; tests collect the
 * lines. Implementations must be thread-safe, because informer callbacks may log too.
 */
public interface ProgressLog {

  void info(String message);

  void warn(String message);

  void debug(String message);
}
