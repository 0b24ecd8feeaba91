package io.github.stscanary.canary.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.stscanary.canary.ProgressLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that the JVM shutdown hook releases the lease when a build is stopped by a signal, as
 * Ctrl-C stops it, in a child JVM that holds the lease.
 */
class RolloutLeaseShutdownTest {

  private static final long EXIT_TIMEOUT_SECONDS = 30;

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void startServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void terminatedJvmReleasesLease() throws IOException, InterruptedException {
    Process child = startChild(client.getConfiguration().getMasterUrl());
    try {
      String firstLine = readLine(child);
      assertThat(firstLine).startsWith("acquired ");
      assertThat(storedLeaseExists()).as("lease while the child runs").isTrue();

      // SIGTERM on Unix: the JVM runs its shutdown hooks, as it does for SIGINT from Ctrl-C.
      child.destroy();

      assertThat(child.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("child exited").isTrue();
      assertThat(storedLeaseExists()).as("lease after the child exited").isFalse();
    } finally {
      child.destroyForcibly();
    }
  }

  private boolean storedLeaseExists() {
    return client.leases().inNamespace("shop").withName("web-canary-lock").get() != null;
  }

  private static Process startChild(String masterUrl) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire starts tests with a manifest-only jar on java.class.path, and names the real
    // classpath in surefire.test.class.path.
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = List.of(java, "-cp", classPath, Child.class.getName(), masterUrl);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Returns the first line the child prints that comes from {@link Child}, not from a library. */
  private static String readLine(Process child) throws IOException {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = output.readLine()) != null) {
      if (line.startsWith("acquired ") || line.startsWith("failed ")) {
        return line;
      }
    }
    return "(child exited without output)";
  }

  /** Acquires the lease from the mock server named in {@code args[0]}, then waits to be stopped. */
  public static final class Child {

    public static void main(String[] args) throws InterruptedException {
      Config config =
          new ConfigBuilder()
              .withMasterUrl(args[0])
              .withNamespace("shop")
              .withRequestRetryBackoffLimit(0)
              .withRequestTimeout(5_000)
              .build();
      KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
      try {
        RolloutLease lease =
            RolloutLease.acquire(
                client,
                "shop",
                "web",
                "deploy",
                Duration.ofSeconds(30),
                new SystemOutLog(),
                Clock.systemUTC());
        System.out.println("acquired " + lease.holderIdentity());
      } catch (RuntimeException e) {
        System.out.println("failed " + e.getMessage());
        System.exit(1);
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(60));
    }
  }

  private static final class SystemOutLog implements ProgressLog {

    @Override
    public void info(String message) {
      System.out.println("[INFO] " + message);
    }

    @Override
    public void warn(String message) {
      System.out.println("[WARNING] " + message);
    }

    @Override
    public void debug(String message) {
      System.out.println("[DEBUG] " + message);
    }
  }
}
