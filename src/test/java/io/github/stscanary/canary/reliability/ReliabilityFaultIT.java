package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Breaks the local environment while goals run with real Maven. The API server is killed and
 * restarted during a deploy's watch, the registry during a push or an image check, and another
 * client changes the StatefulSet between the deploy's read and its patch. Each goal must either
 * finish its work or fail with a clear message, and nothing may be lost.
 */
class ReliabilityFaultIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();
  private static final String REPOSITORY = "reliability/web";

  private static ReliabilityNamespace namespace;
  private static String stableImage;
  private static String nextImage;

  @TempDir Path directory;

  @BeforeAll
  static void pushImages() {
    namespace = ReliabilityNamespace.create(environment, "rel-fault");
    stableImage = TestRegistries.pushLocal(environment, REPOSITORY, "v1");
    nextImage = TestRegistries.pushLocal(environment, REPOSITORY, "v2");
  }

  @AfterAll
  static void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  // The slow-image kwok stage keeps a pod with a "slow" tag Pending for 20 s, so the API server
  // is down and back while the deploy still waits for its canary pod.
  @Test
  void apiServerRestartDuringWatchIsSurvived() throws Exception {
    namespace.createStatefulSet("restart", stableImage, List.of("web"));
    String slowImage = TestRegistries.pushLocal(environment, REPOSITORY, "slow-restart");
    MavenRun maven = namespace.project();

    Process deploy =
        maven.start(
            "canary:deploy",
            "-Dcanary.statefulSet=restart",
            "-Dcanary.image=" + slowImage,
            "-Dpartition=2");
    awaitOutput(maven, deploy, output -> output.contains("; waiting: "));
    EnvironmentProcesses.kill("kube-apiserver");
    Instant killed = Instant.now();
    try {
      Thread.sleep(5_000);
    } finally {
      EnvironmentProcesses.start("kube-apiserver");
    }
    Instant restarted = Instant.now();

    assertThat(deploy.waitFor(MavenRun.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    String output = maven.output();
    assertThat(deploy.exitValue()).as(output).isZero();
    assertThat(output).contains("rollout complete");
    assertThat(Duration.between(killed, restarted)).isGreaterThan(Duration.ofSeconds(5));
    StatefulSet statefulSet = namespace.statefulSet("restart");
    assertThat(image(statefulSet)).isEqualTo(slowImage);
    assertThat(statefulSet.getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
        .isEqualTo(2);
    assertThat(namespace.client().pods().inNamespace(namespace.name()).withName("restart-2").get())
        .extracting(pod -> pod.getSpec().getContainers().get(0).getImage())
        .isEqualTo(slowImage);
  }

  // The push goes through a proxy that kills the registry when the first blob upload (PATCH)
  // arrives, and then closes itself, so jib-core gets what a crashed registry gives: the
  // open connections reset and new ones refused.
  @Test
  void registryKilledDuringPushFailsCleanly() throws Exception {
    MavenRun maven = namespace.project();
    String repository = "reliability/push-" + UUID.randomUUID().toString().substring(0, 8);
    writeLargePage(maven.directory().resolve("src/v1/large.bin"));
    AtomicReference<TriggerProxy> proxy = new AtomicReference<>();
    Runnable crash =
        () -> {
          EnvironmentProcesses.kill("registry-local");
          closeQuietly(proxy.get());
        };
    int registryPort = Integer.parseInt(environment.localRegistry().split(":")[1]);

    MavenRun.Result result;
    Instant start = Instant.now();
    try {
      proxy.set(
          new TriggerProxy(registryPort, "PATCH /v2/" + repository + "/blobs/uploads/", crash));
      String proxied = "127.0.0.1:" + proxy.get().port();
      result =
          maven.run("canary:build", "-Drepository=" + repository, "-Dcanary.registry=" + proxied);
      assertThat(proxy.get().fired()).as("registry killed during the upload").isTrue();
      assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
      String message = MavenOutput.failure(result.output());
      assertThat(message).contains("Registry " + proxied + " is unreachable");
      assertThat(message).contains("Check that it is running");
    } finally {
      closeQuietly(proxy.get());
      EnvironmentProcesses.start("registry-local");
    }

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMinutes(3));
    assertThat(maven.directory().resolve("target/canary/image.json")).doesNotExist();
    assertThat(TestRegistries.localTags(environment, repository)).as("tags").isEmpty();
  }

  @Test
  void registryDownDuringImageCheckChangesNothing() {
    namespace.createStatefulSet("registry-down", stableImage, List.of("web"));
    Map<String, String> before = namespace.resourceVersions("registry-down");
    MavenRun.Result result;
    EnvironmentProcesses.kill("registry-local");
    try {
      result =
          namespace
              .project()
              .run(
                  "canary:deploy",
                  "-Dcanary.statefulSet=registry-down",
                  "-Dcanary.image=" + nextImage,
                  "-Dpartition=1");
    } finally {
      EnvironmentProcesses.start("registry-local");
    }

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    String message = MavenOutput.failure(result.output());
    assertThat(message).contains("Registry " + environment.localRegistry() + " is unreachable");
    assertThat(message).contains("-Dcanary.verifyImage=false");
    assertThat(namespace.resourceVersions("registry-down")).isEqualTo(before);
  }

  @Test
  void conflictingEditDuringPatchIsRetried() throws Exception {
    namespace.createStatefulSet("conflict", stableImage, List.of("web"));
    String patchLine =
        "PATCH /apis/apps/v1/namespaces/" + namespace.name() + "/statefulsets/conflict";
    Runnable otherClient =
        () ->
            namespace
                .client()
                .apps()
                .statefulSets()
                .inNamespace(namespace.name())
                .withName("conflict")
                .edit(
                    statefulSet ->
                        new StatefulSetBuilder(statefulSet)
                            .editMetadata()
                            .addToAnnotations("team", "other-client")
                            .endMetadata()
                            .build());

    MavenRun.Result result;
    boolean fired;
    try (EnvironmentProcesses.KubectlProxy kubectl =
            EnvironmentProcesses.KubectlProxy.start(environment);
        TriggerProxy proxy = new TriggerProxy(kubectl.port(), patchLine, otherClient)) {
      Path kubeconfig = plainHttpKubeconfig(proxy.port());
      result =
          namespace
              .project()
              .run(
                  "canary:deploy",
                  "-Dcanary.kubeconfig=" + kubeconfig,
                  "-Dcanary.statefulSet=conflict",
                  "-Dcanary.image=" + nextImage,
                  "-Dpartition=2");
      fired = proxy.fired();
    }

    assertThat(fired).as("other client's edit before the patch").isTrue();
    assertThat(result.succeeded()).as(result.output()).isTrue();
    assertThat(result.output())
        .contains("StatefulSet conflict was changed by another client")
        .contains("re-reading and retrying the patch");
    assertThat(MavenOutput.warnings(result.output(), "is reached over plain HTTP")).isEqualTo(1);
    StatefulSet statefulSet = namespace.statefulSet("conflict");
    assertThat(statefulSet.getMetadata().getAnnotations()).containsEntry("team", "other-client");
    assertThat(image(statefulSet)).isEqualTo(nextImage);
    assertThat(statefulSet.getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
        .isEqualTo(2);
  }

  /** Writes a kubeconfig for a plain-HTTP server without credentials, such as 'kubectl proxy'. */
  private Path plainHttpKubeconfig(int port) throws IOException {
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: proxy",
            "  cluster:",
            "    server: http://127.0.0.1:" + port,
            "users:",
            "- name: anonymous",
            "  user: {}",
            "contexts:",
            "- name: proxy",
            "  context:",
            "    cluster: proxy",
            "    user: anonymous",
            "    namespace: " + namespace.name(),
            "current-context: proxy",
            "");
    return Files.writeString(directory.resolve("proxy.kubeconfig"), yaml, StandardCharsets.UTF_8);
  }

  /** Writes 96 MiB of random bytes, which gzip cannot shrink, so the upload takes a while. */
  private static void writeLargePage(Path file) throws IOException {
    Random random = new Random(1);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int index = 0; index < 96; index++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
  }

  private static void awaitOutput(MavenRun maven, Process process, Predicate<String> condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(MavenRun.TIMEOUT_SECONDS);
    while (!condition.test(maven.output())) {
      assertThat(process.isAlive()).as("Maven still runs; output:\n%s", maven.output()).isTrue();
      assertThat(Instant.now()).as("time waiting for the Maven output").isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static void closeQuietly(TriggerProxy proxy) {
    if (proxy == null) {
      return;
    }
    try {
      proxy.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  private static String image(StatefulSet statefulSet) {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
