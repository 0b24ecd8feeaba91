package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs goals with real Maven against an API server that cannot be reached, does not respond, does
 * not trust the credentials, or forbids the request, and checks that each fails in bounded time
 * with a message naming the server or request and the fix, and changes nothing.
 */
class ReliabilityClusterAccessIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();

  /** Bound on a failing run: JVM start and plugin loading plus one request timeout. */
  private static final Duration MAX_FAILURE_TIME = Duration.ofSeconds(40);

  private static ReliabilityNamespace namespace;
  private static String nextImage;

  @TempDir Path directory;

  @BeforeAll
  static void createStatefulSet() {
    namespace = ReliabilityNamespace.create(environment, "rel-access");
    String stableImage = TestRegistries.pushLocal(environment, "reliability/web", "v1");
    nextImage = TestRegistries.pushLocal(environment, "reliability/web", "v2");
    namespace.createStatefulSet(ReliabilityNamespace.WEB, stableImage, List.of("web"));
  }

  @AfterAll
  static void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void closedPortFailsFastNamingServer() {
    String server = "https://127.0.0.1:" + Kubeconfigs.closedPort();
    Path kubeconfig =
        Kubeconfigs.admin(environment, directory, "closed.kubeconfig", Kubeconfigs.server(server));

    Instant start = Instant.now();
    String message = rejectedDeploy(kubeconfig, "-Dcanary.requestTimeout=5s");

    assertThat(Duration.between(start, Instant.now())).isLessThan(MAX_FAILURE_TIME);
    assertThat(message).contains("API server " + server + "/ is unreachable");
    assertThat(message).contains("-Dcanary.kubeconfig");
  }

  @Test
  void silentServerTimesOutAfterRequestTimeout() throws IOException {
    try (SilentServer silent = new SilentServer()) {
      String server = "https://127.0.0.1:" + silent.port();
      Path kubeconfig =
          Kubeconfigs.admin(
              environment, directory, "silent.kubeconfig", Kubeconfigs.server(server));

      Instant start = Instant.now();
      String message = rejectedDeploy(kubeconfig, "-Dcanary.requestTimeout=3s");

      assertThat(Duration.between(start, Instant.now())).isLessThan(MAX_FAILURE_TIME);
      assertThat(message).contains("Request to API server " + server + "/ timed out after 3 s");
      assertThat(message).contains("-Dcanary.requestTimeout");
    }
  }

  @Test
  void bogusTokenIsUnauthorized() {
    Path kubeconfig =
        Kubeconfigs.restricted(
            environment, directory, "bogus.kubeconfig", Kubeconfigs.token("not-a-token"));

    String message = rejectedDeploy(kubeconfig);

    assertThat(message).contains("rejected the credentials of context canary-deployer@stscanary");
    assertThat(message).contains("HTTP 401 Unauthorized");
    assertThat(message).contains("kubectl create token");
  }

  @Test
  void expiredTokenIsUnauthorized() {
    Instant issued = Instant.now().minus(Duration.ofHours(2));
    String token = deployerToken(issued, issued.plus(Duration.ofHours(1)));
    Path kubeconfig =
        Kubeconfigs.restricted(
            environment, directory, "expired.kubeconfig", Kubeconfigs.token(token));

    String message = rejectedDeploy(kubeconfig);

    assertThat(message).contains("HTTP 401 Unauthorized");
    assertThat(message).contains("invalid or expired");
  }

  // Shows that expiredTokenIsUnauthorized fails only because of the expiry: the same token, valid
  // now, is accepted and fails on RBAC instead.
  @Test
  void unexpiredSignedTokenIsAuthenticated() {
    Instant issued = Instant.now().minus(Duration.ofMinutes(1));
    String token = deployerToken(issued, issued.plus(Duration.ofHours(1)));
    Path kubeconfig =
        Kubeconfigs.restricted(
            environment, directory, "fresh.kubeconfig", Kubeconfigs.token(token));

    String message = rejectedDeploy(kubeconfig);

    assertThat(message).contains("Forbidden to get leases in namespace " + namespace.name());
  }

  @Test
  void unknownContextRejectedBeforeAnyRequest() {
    String message = rejectedDeploy(environment.adminKubeconfig(), "-Dcanary.context=production");

    assertThat(message).contains("Kubeconfig context 'production' not found");
    assertThat(message).contains("kubectl config get-contexts");
    assertThat(message).contains("-Dcanary.context");
  }

  @Test
  void missingKubeconfigRejected() {
    Path missing = directory.resolve("missing.kubeconfig");

    String message = rejectedDeploy(missing);

    assertThat(message).contains("Kubeconfig file not found: " + missing);
    assertThat(message).contains("-Dcanary.kubeconfig");
  }

  @Test
  void forbiddenDeployNamesVerbResourceNamespace() {
    String message = rejectedDeploy(environment.restrictedKubeconfig());

    assertThat(message).contains("Forbidden to get leases in namespace " + namespace.name());
    assertThat(message).contains("cannot get resource \"leases\"");
    assertThat(message).contains("Grant the verb with a Role in that namespace");
  }

  @Test
  void forbiddenStatusNamesVerbResourceNamespace() {
    MavenRun.Result result =
        namespace
            .project()
            .run("canary:status", "-Dcanary.kubeconfig=" + environment.restrictedKubeconfig());

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    String message = MavenOutput.failure(result.output());
    assertThat(message).contains("Forbidden to get statefulsets in namespace " + namespace.name());
    assertThat(message).contains("-Dcanary.kubeconfig");
  }

  @Test
  void unknownServerCertificateRejected() {
    Path kubeconfig =
        Kubeconfigs.admin(environment, directory, "no-ca.kubeconfig", Kubeconfigs.withoutCa());

    String message = rejectedDeploy(kubeconfig);

    assertThat(message)
        .contains("The TLS certificate of API server " + environment.get("API_SERVER"));
    assertThat(message).contains("is not trusted");
    assertThat(message).contains("certificate-authority-data");
  }

  @Test
  void skippedTlsVerificationWarnsOnEveryRun() {
    Path kubeconfig =
        Kubeconfigs.admin(
            environment, directory, "insecure.kubeconfig", Kubeconfigs.skipTlsVerify());
    MavenRun maven = namespace.project();

    for (int run = 1; run <= 2; run++) {
      MavenRun.Result result = maven.run("canary:status", "-Dcanary.kubeconfig=" + kubeconfig);

      assertThat(result.succeeded()).as(result.output()).isTrue();
      assertThat(MavenOutput.warnings(result.output(), "insecure-skip-tls-verify: true"))
          .as("warnings of run %d", run)
          .isEqualTo(1);
    }
  }

  private static String deployerToken(Instant issued, Instant expiry) {
    String namespaceName = environment.restrictedNamespace();
    String uid =
        namespace
            .client()
            .serviceAccounts()
            .inNamespace(namespaceName)
            .withName("canary-deployer")
            .get()
            .getMetadata()
            .getUid();
    return Kubeconfigs.serviceAccountToken(
        environment, namespaceName, "canary-deployer", uid, issued, expiry);
  }

  /**
   * Runs a valid canary:deploy of the namespace's StatefulSet with {@code kubeconfig}, asserts that
   * it failed and changed nothing, and returns the failure message.
   */
  private static String rejectedDeploy(Path kubeconfig, String... extraArguments) {
    Map<String, String> objectsBefore = namespace.resourceVersions();
    List<String> command =
        new ArrayList<>(
            List.of(
                "canary:deploy",
                "-Dpartition=1",
                "-Dcanary.image=" + nextImage,
                "-Dcanary.kubeconfig=" + kubeconfig));
    command.addAll(List.of(extraArguments));

    MavenRun.Result result = namespace.project().run(command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(namespace.resourceVersions())
        .as("objects in the namespace")
        .isEqualTo(objectsBefore);
    return MavenOutput.failure(result.output());
  }

  /** Accepts TCP connections on 127.0.0.1 and never responds, like a hung API server. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new ArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::acceptForever, "silent-api-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void acceptForever() {
      try {
        while (true) {
          Socket connection = socket.accept();
          synchronized (accepted) {
            accepted.add(connection);
          }
        }
      } catch (IOException closed) {
        // close() closed the socket.
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (accepted) {
        for (Socket connection : accepted) {
          connection.close();
        }
      }
    }
  }
}
