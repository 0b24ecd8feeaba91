package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import org.apache.maven.plugin.logging.Log;

/** Sends service progress to the Maven build log. */
final class MavenProgressLog implements ProgressLog {

  private final Log log;

  MavenProgressLog(Log log) {
    this.log = log;
  }

  @Override
  public synchronized void info(String message) {
    log.info(message);
  }

  @Override
  public synchronized void warn(String message) {
    log.warn(message);
  }

  @Override
  public synchronized void debug(String message) {
    log.debug(message);
  }
}
