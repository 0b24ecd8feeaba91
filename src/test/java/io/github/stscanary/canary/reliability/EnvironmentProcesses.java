package io.github.stscanary.canary.reliability;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kills and restarts the servers of the local environment with {@code
 * src/test/cluster/restart-component}, and starts 'kubectl proxy'.
 */
final class EnvironmentProcesses {

  private static final long RESTART_TIMEOUT_SECONDS = 120;
  private static final Pattern PROXY_ADDRESS = Pattern.compile("Starting to serve on [^:]+:(\\d+)");

  private EnvironmentProcesses() {}

  /** Kills the component with SIGKILL and keeps its command line for {@link #start}. */
  static void kill(String component) {
    restartComponent(component, "--kill");
  }

  /** Starts a component that {@link #kill} stopped, and waits until it is healthy. */
  static void start(String component) {
    restartComponent(component, "--start");
  }

  private static void restartComponent(String component, String mode) {
    List<String> command =
        List.of(
            "bash",
            Path.of("src/test/cluster/restart-component").toAbsolutePath().toString(),
            clusterDirectory().toString(),
            component,
            mode);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!process.waitFor(RESTART_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in time");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " failed with exit code " + process.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted: " + command, e);
    }
  }

  /** Folder that src/test/cluster/start was given: the parent of the environment file. */
  static Path clusterDirectory() {
    return Path.of(System.getProperty("cluster.env", "target/cluster/env"))
        .toAbsolutePath()
        .getParent();
  }

  /** A running 'kubectl proxy' with the admin kubeconfig, on a free port of 127.0.0.1. */
  record KubectlProxy(Process process, int port) implements AutoCloseable {

    static KubectlProxy start(ClusterEnvironment environment) {
      try {
        Process process =
            new ProcessBuilder(
                    environment.kubectl().toString(),
                    "--kubeconfig=" + environment.adminKubeconfig(),
                    "proxy",
                    "--address=127.0.0.1",
                    "--port=0")
                .redirectErrorStream(true)
                .start();
        BufferedReader output =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        Matcher matcher = PROXY_ADDRESS.matcher(String.valueOf(line));
        if (!matcher.find()) {
          process.destroyForcibly();
          throw new AssertionError("kubectl proxy printed: " + line);
        }
        return new KubectlProxy(process, Integer.parseInt(matcher.group(1)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
