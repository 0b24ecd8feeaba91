package io.github.stscanary.canary.image;

import io.github.stscanary.canary.ProgressLog;
import java.util.ArrayList;
import java.util.List;

/** Collects log lines with their level, such as {@code WARN text}, for assertions. */
final class RecordingLog implements ProgressLog {

  final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public synchronized void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public synchronized void debug(String message) {
    lines.add("DEBUG " + message);
  }
}
