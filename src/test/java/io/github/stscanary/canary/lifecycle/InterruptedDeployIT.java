package io.github.stscanary.canary.lifecycle;

import static io.github.stscanary.canary.lifecycle.TestNamespace.STATEFUL_SET;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stops a running {@code canary:deploy} with SIGINT, as Ctrl-C in a terminal does, while it waits
 * for a {@code slow} pod that the simulated kubelet makes Ready only after 20 s, then runs the same
 * deploy again.
 */
class InterruptedDeployIT {

  /** Bit of SIGINT (signal 2) in the SigIgn mask of /proc/PID/status. */
  private static final long SIGINT_MASK = 1L << (2 - 1);

  private final ClusterEnvironment environment = ClusterEnvironment.load();
  private TestNamespace namespace;
  private Process deploy;

  @AfterEach
  void stopAndClean() {
    if (deploy != null && deploy.isAlive()) {
      deploy.destroyForcibly();
    }
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void interruptedDeployReleasesLockAndReports() throws Exception {
    namespace = TestNamespace.create(environment, "deploy-interrupt");
    String stableImage = namespace.image("v1");
    String slowImage = namespace.image("slow");
    namespace.createStatefulSet(stableImage);
    MavenRun maven = namespace.project();
    String[] goal = {"canary:deploy", "-Dcanary.image=" + slowImage, "-Dpartition=4"};

    deploy = maven.start(goal);
    namespace.awaitLease();
    namespace.awaitPodImage(4, slowImage);
    long jvm = mavenJvm(deploy);
    assertThat(ignoredSignals(jvm) & SIGINT_MASK)
        .as("SIGINT is ignored by the Maven JVM (pid %d), so it cannot be interrupted", jvm)
        .isZero();
    interrupt(jvm);
    boolean exited = deploy.waitFor(60, TimeUnit.SECONDS);
    String interruptedOutput = maven.output();
    RunReport.Snapshot report = TestNamespace.report(maven);

    assertThat(exited).as("Maven exited after SIGINT").isTrue();
    assertThat(deploy.exitValue()).as(interruptedOutput).isNotZero();
    assertThat(namespace.lease()).as("rollout lock after SIGINT").isNull();
    assertThat(report.result()).as("report result").isEqualTo(RunReport.Result.FAILED);
    assertThat(report.message()).as("report message").startsWith("interrupted");
    assertThat(report.end()).as("report end").isNotNull();
    assertThat(interruptedOutput)
        .contains("canary:deploy interrupted; statefulset/" + STATEFUL_SET + " stays as it is now");

    MavenRun.Result rerun = maven.run(goal);

    assertThat(rerun.succeeded()).as(rerun.output()).isTrue();
    assertThat(rerun.output()).contains("Image and partition already set; checking the pods");
    assertThat(TestNamespace.report(maven).result()).isEqualTo(RunReport.Result.SUCCEEDED);
    List<Pod> pods = namespace.pods();
    assertThat(TestNamespace.image(pods.get(4))).as("image of pod 4").isEqualTo(slowImage);
    assertThat(pods.subList(0, 4))
        .as("images of pods 0 to 3")
        .extracting(TestNamespace::image)
        .containsOnly(stableImage);
    assertThat(pods).as("pods Ready").allMatch(TestNamespace::ready);
    assertThat(namespace.lease()).as("rollout lock after the rerun").isNull();
  }

  /**
   * Returns the pid of the JVM that runs Maven: the started process itself when the mvn script
   * execs java, as the script of Maven 3.8 does, else its java descendant.
   */
  private static long mavenJvm(Process process) throws IOException {
    if (isJava(process.pid())) {
      return process.pid();
    }
    return process
        .descendants()
        .filter(child -> isJava(child.pid()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No java process under mvn pid " + process.pid()))
        .pid();
  }

  private static boolean isJava(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().equals("java");
    } catch (IOException e) {
      return false;
    }
  }

  private static long ignoredSignals(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith("SigIgn:"))
        .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16))
        .findFirst()
        .orElse(0L);
  }

  private static void interrupt(long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("exit code of kill -INT %d", pid).isZero();
  }
}
