package io.github.stscanary.canary.verify;

import static io.github.stscanary.canary.verify.RealNodeNamespace.PROJECT;
import static io.github.stscanary.canary.verify.RealNodeNamespace.STATEFUL_SET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deploys canaries of an nginx page to the real node with {@code canary:deploy
 * -Dcanary.verify=true}, and checks what the pods serve through the pod proxy, the API server's
 * service proxy and the NodePort on 127.0.0.1.
 */
class CanaryVerifyIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();

  /** Keeps the images of separate runs apart in the shared registry. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private static final String EXPECT_CANARY = "-Dcanary.expectCanary=This is V2";
  private static final String EXPECT_STABLE = "-Dcanary.expectStable=This is V1";

  /** The share line of the verify goal, with 2 canary pods of 5. */
  private static final Pattern SHARE =
      Pattern.compile("(\\d+) of (\\d+) answers from the canary \\((\\d+)%\\), expected 40%");

  private static final Pattern DURATION =
      Pattern.compile("Verified statefulset/web in ([0-9.]+) s");

  private static String repository;

  private RealNodeNamespace namespace;

  @BeforeAll
  static void buildImages() {
    assumeTrue(
        environment.find("REAL_NODE_NAME").isPresent(),
        "No real node in the cluster environment file: src/test/cluster/start adds it with"
            + " CANARY_REAL_NODE=1 only when it runs as root.");
    repository = environment.localRegistry() + "/verify-" + RUN + "/web";
    MavenRun build = MavenRun.copyOf(PROJECT, environment, "default");
    for (String page : List.of("v1", "v2", "v3")) {
      MavenRun.Result result =
          build.run(
              "canary:build",
              "-Dpage=" + page,
              "-Dcanary.from=" + environment.get("NGINX_BASE_IMAGE"),
              "-Dcanary.image=" + repository);
      assertThat(result.succeeded()).as(result.output()).isTrue();
    }
  }

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void bothVersionsSeenThroughServiceAndNodePort() {
    namespace = RealNodeNamespace.create(environment, "verify-canary");
    Instant created = Instant.now();
    namespace.createWorkload(repository + ":v1");
    Duration podStart = Duration.between(created, Instant.now());
    MavenRun maven = namespace.project();

    MavenRun.Result deploy =
        maven.run(
            "canary:deploy",
            "-Dcanary.image=" + repository + ":v2",
            "-Dpartition=3",
            "-Dcanary.verify=true",
            EXPECT_CANARY,
            EXPECT_STABLE);

    assertThat(deploy.succeeded()).as(deploy.output()).isTrue();
    for (int ordinal = 0; ordinal < 3; ordinal++) {
      assertThat(namespace.page(ordinal)).as("page of pod web-" + ordinal).isEqualTo("This is V1");
    }
    for (int ordinal = 3; ordinal < 5; ordinal++) {
      assertThat(namespace.page(ordinal)).as("page of pod web-" + ordinal).isEqualTo("This is V2");
    }
    assertThat(deploy.output())
        .as("deploy checks through the API server's service proxy")
        .contains("through service/web:80 (API server proxy): ");
    assertBothVersionsSeen(deploy.output(), "service proxy");

    String url = "http://127.0.0.1:" + namespace.nodePort() + "/version.html";
    MavenRun.Result nodePort =
        maven.run("canary:verify", "-Dcanary.verifyUrl=" + url, EXPECT_CANARY, EXPECT_STABLE);

    assertThat(nodePort.succeeded()).as(nodePort.output()).isTrue();
    assertThat(nodePort.output())
        .as("verify checks the NodePort")
        .contains("through " + url + ": ");
    assertBothVersionsSeen(nodePort.output(), "NodePort");

    System.out.printf(
        "%s: 5 pods Ready on the real node %d ms after creation; verify took %s s through the"
            + " service proxy and %s s through NodePort %s%n",
        namespace.name(),
        podStart.toMillis(),
        verifySeconds(deploy.output()),
        verifySeconds(nodePort.output()),
        url);
  }

  @Test
  void wrongCanaryPageFailsVerifyAndRollsBack() {
    namespace = RealNodeNamespace.create(environment, "verify-rollback");
    String stableRevision =
        namespace.createWorkload(repository + ":v1").getStatus().getUpdateRevision();
    MavenRun maven = namespace.project();

    MavenRun.Result deploy =
        maven.run(
            "canary:deploy",
            "-Dcanary.image=" + repository + ":v3",
            "-Dpartition=3",
            "-Dcanary.verify=true",
            EXPECT_CANARY,
            EXPECT_STABLE);

    assertThat(deploy.succeeded()).as(deploy.output()).isFalse();
    assertThat(deploy.output())
        .as("failure names the pod, its page and the expectation")
        .contains(
            "Pod web-4 (canary) returned 'This is V3', which does not match"
                + " canary.expectCanary 'This is V2'");
    assertThat(deploy.output())
        .as("pod table row of web-3")
        .containsPattern(
            "web-3\\s+yes\\s+\\S+\\s+canary\\s+200\\s+This is V2\\s+mismatch\\s+This is V3");
    assertThat(deploy.output())
        .as("failure says what was rolled back")
        .contains("Rolled back statefulset/" + STATEFUL_SET + " to revision " + stableRevision);
    StatefulSet statefulSet = namespace.awaitStable();
    assertThat(statefulSet.getStatus().getUpdateRevision())
        .as("update revision after the rollback")
        .isEqualTo(stableRevision);
    List<Pod> pods = namespace.pods();
    assertThat(pods).as("pods after the rollback").hasSize(RealNodeNamespace.REPLICAS);
    assertThat(pods)
        .as("revisions after the rollback")
        .extracting(RealNodeNamespace::revision)
        .containsOnly(stableRevision);
    for (int ordinal = 0; ordinal < RealNodeNamespace.REPLICAS; ordinal++) {
      assertThat(namespace.page(ordinal)).as("page of pod web-" + ordinal).isEqualTo("This is V1");
    }
  }

  // With 2 canary pods of 5 and 50 requests, the chance that random balancing leaves out either
  // version is about 0.6^50 + 0.4^50, below 1e-11.
  private static void assertBothVersionsSeen(String output, String path) {
    Matcher share = SHARE.matcher(output);
    assertThat(share.find()).as("share line through the " + path + " in:\n" + output).isTrue();
    int canary = Integer.parseInt(share.group(1));
    int sent = Integer.parseInt(share.group(2));
    assertThat(sent).as("requests through the " + path).isEqualTo(50);
    assertThat(canary).as("canary responses through the " + path).isBetween(1, 49);
  }

  private static String verifySeconds(String output) {
    Matcher duration = DURATION.matcher(output);
    return duration.find() ? duration.group(1) : "?";
  }
}
