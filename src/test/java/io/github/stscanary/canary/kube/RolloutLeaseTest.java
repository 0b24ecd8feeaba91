package io.github.stscanary.canary.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.stscanary.canary.ProgressLog;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RolloutLeaseTest {

  private static final String NAMESPACE = "shop";
  private static final String STATEFUL_SET = "web";
  private static final String LEASE_NAME = "web-canary-lock";
  private static final Instant START = Instant.parse("2025-03-10T09:00:00Z");
  // Long enough that the renewal thread does not run during a test; tests call renew() instead.
  private static final Duration LEASE_DURATION = Duration.ofSeconds(30);

  private final List<RolloutLease> acquired = new ArrayList<>();
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
    client = createClient(server);
  }

  @AfterEach
  void stopServer() {
    // Releasing also removes each lease's JVM shutdown hook.
    acquired.forEach(RolloutLease::release);
    client.close();
    server.destroy();
  }

  @Test
  void acquireCreatesLeaseWithOwnHolder() {
    RolloutLease lease = acquire("deploy", new MutableClock(START), new RecordingLog());

    Lease stored = storedLease();
    assertThat(stored).as("lease %s in namespace %s", LEASE_NAME, NAMESPACE).isNotNull();
    assertThat(stored.getSpec().getHolderIdentity()).isEqualTo(lease.holderIdentity());
    assertThat(stored.getSpec().getLeaseDurationSeconds()).isEqualTo(30);
    assertThat(stored.getSpec().getLeaseTransitions()).isZero();
    assertThat(stored.getSpec().getRenewTime().toInstant()).isEqualTo(START);
    assertThat(stored.getMetadata().getAnnotations())
        .containsEntry(LeaseHolder.GOAL_ANNOTATION, "canary:deploy")
        .containsEntry(LeaseHolder.USER_ANNOTATION, System.getProperty("user.name"))
        .containsEntry(LeaseHolder.STARTED_ANNOTATION, START.toString())
        .containsKey(LeaseHolder.HOST_ANNOTATION);
  }

  @Test
  void holderIdentityNamesUserHostAndPid() {
    RolloutLease lease = acquire("deploy", new MutableClock(START), new RecordingLog());

    String prefix =
        System.getProperty("user.name")
            + "@"
            + storedLease().getMetadata().getAnnotations().get(LeaseHolder.HOST_ANNOTATION)
            + ":"
            + ProcessHandle.current().pid()
            + ":";
    assertThat(lease.holderIdentity()).startsWith(prefix);
    assertThat(lease.holderIdentity().substring(prefix.length())).hasSize(8);
  }

  @Test
  void secondAcquireWhileHeldFails() {
    MutableClock clock = new MutableClock(START);
    RolloutLease first = acquire("deploy", clock, new RecordingLog());
    String host = storedLease().getMetadata().getAnnotations().get(LeaseHolder.HOST_ANNOTATION);
    clock.advance(Duration.ofSeconds(10));

    LeaseHeldException rejection =
        catchThrowableOfType(
            LeaseHeldException.class, () -> acquire("rollback", clock, new RecordingLog()));

    assertThat(rejection).as("exception of the second acquire").isNotNull();
    assertThat(rejection.holderIdentity()).isEqualTo(first.holderIdentity());
    assertThat(rejection.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(rejection.host()).isEqualTo(host);
    assertThat(rejection.goal()).isEqualTo("canary:deploy");
    assertThat(rejection.expiresIn()).isEqualTo(Duration.ofSeconds(20));
    assertThat(rejection.getMessage())
        .isEqualTo(
            "statefulset/web in namespace shop is locked by canary:deploy run by "
                + System.getProperty("user.name")
                + " on "
                + host
                + " since 2025-03-10T09:00:00Z (lease web-canary-lock, expires in 20 s). Wait for"
                + " that run to finish, or delete the lease with 'kubectl delete lease"
                + " web-canary-lock -n shop' if that run is gone.");
  }

  @Test
  void secondAcquireLeavesHeldLeaseUnchanged() {
    MutableClock clock = new MutableClock(START);
    RolloutLease first = acquire("deploy", clock, new RecordingLog());

    catchThrowableOfType(
        LeaseHeldException.class, () -> acquire("rollback", clock, new RecordingLog()));

    assertThat(storedLease().getSpec().getHolderIdentity()).isEqualTo(first.holderIdentity());
    assertThat(storedLease().getSpec().getLeaseTransitions()).isZero();
  }

  @Test
  void foreignLeaseWithoutAnnotationsNamesHolder() {
    client.leases().inNamespace(NAMESPACE).resource(foreignLease("kubectl-user", START)).create();

    LeaseHeldException rejection =
        catchThrowableOfType(
            LeaseHeldException.class,
            () -> acquire("deploy", new MutableClock(START), new RecordingLog()));

    assertThat(rejection).as("exception of the acquire").isNotNull();
    assertThat(rejection.user()).isNull();
    assertThat(rejection.getMessage()).contains("is locked by holder kubectl-user since ");
  }

  @Test
  void expiredLeaseIsTakenOver() {
    MutableClock clock = new MutableClock(START);
    RolloutLease first = acquire("deploy", clock, new RecordingLog());
    clock.advance(Duration.ofSeconds(31));
    RecordingLog log = new RecordingLog();

    RolloutLease second = acquire("deploy", clock, log);

    Lease stored = storedLease();
    assertThat(stored.getSpec().getHolderIdentity()).isEqualTo(second.holderIdentity());
    assertThat(stored.getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(stored.getSpec().getAcquireTime().toInstant()).isEqualTo(clock.instant());
    assertThat(log.warnings()).hasSize(1);
    assertThat(log.warnings().get(0))
        .startsWith("Took over expired lease web-canary-lock in namespace shop from canary:deploy")
        .contains(first.holderIdentity());
  }

  @Test
  void releasedLeaseIsTakenOverWithoutWarning() {
    Lease released = foreignLease("", START);
    client.leases().inNamespace(NAMESPACE).resource(released).create();
    RecordingLog log = new RecordingLog();

    RolloutLease lease = acquire("deploy", new MutableClock(START), log);

    assertThat(storedLease().getSpec().getHolderIdentity()).isEqualTo(lease.holderIdentity());
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void renewWritesRenewTime() {
    MutableClock clock = new MutableClock(START);
    RolloutLease lease = acquire("deploy", clock, new RecordingLog());
    clock.advance(Duration.ofSeconds(10));

    lease.renew();

    assertThat(storedLease().getSpec().getRenewTime().toInstant()).isEqualTo(clock.instant());
    assertThat(lease.lost()).isFalse();
  }

  @Test
  void renewalThreadRenewsLease() throws InterruptedException {
    MutableClock clock = new MutableClock(START);
    RolloutLease lease = acquire("deploy", clock, new RecordingLog(), Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(5));

    // The thread renews every 333 ms; 5 s leaves room for a slow machine.
    Instant deadline = Instant.now().plusSeconds(5);
    while (!storedLease().getSpec().getRenewTime().toInstant().equals(clock.instant())
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }

    assertThat(storedLease().getSpec().getRenewTime().toInstant()).isEqualTo(clock.instant());
    assertThat(lease.lost()).isFalse();
  }

  @Test
  void renewAfterTakeOverMarksLost() {
    MutableClock clock = new MutableClock(START);
    RecordingLog log = new RecordingLog();
    RolloutLease first = acquire("deploy", clock, log);
    clock.advance(Duration.ofSeconds(31));
    RolloutLease second = acquire("deploy", clock, new RecordingLog());

    first.renew();

    assertThat(first.lost()).isTrue();
    assertThat(storedLease().getSpec().getHolderIdentity()).isEqualTo(second.holderIdentity());
    assertThat(log.warnings()).hasSize(1);
    assertThat(log.warnings().get(0))
        .startsWith("Lost lease web-canary-lock in namespace shop: it is now held by")
        .contains(second.holderIdentity());
  }

  @Test
  void renewAfterDeleteMarksLost() {
    RolloutLease lease = acquire("deploy", new MutableClock(START), new RecordingLog());
    client.leases().inNamespace(NAMESPACE).withName(LEASE_NAME).delete();

    lease.renew();

    assertThat(lease.lost()).isTrue();
  }

  @Test
  void renewFailuresWarnAfterThree() {
    RecordingLog log = new RecordingLog();
    RolloutLease lease = acquire("deploy", new MutableClock(START), log);
    server.destroy();

    lease.renew();
    lease.renew();
    int warningsAfterTwo = log.warnings().size();
    lease.renew();

    assertThat(warningsAfterTwo).isZero();
    assertThat(log.warnings()).hasSize(1);
    assertThat(log.warnings().get(0))
        .startsWith("Failed to renew lease web-canary-lock in namespace shop (3 failures in a row)")
        .contains("Failed to update leases in namespace shop");
    assertThat(log.debugLines()).hasSize(2);
    assertThat(lease.lost()).isFalse();
  }

  @Test
  void releaseDeletesOwnLease() {
    RolloutLease lease = acquire("deploy", new MutableClock(START), new RecordingLog());

    lease.release();

    assertThat(storedLease()).isNull();
  }

  @Test
  void releaseDeletesWithResourceVersionPrecondition() throws InterruptedException {
    RolloutLease lease = acquire("deploy", new MutableClock(START), new RecordingLog());
    String resourceVersion = storedLease().getMetadata().getResourceVersion();

    lease.release();

    RecordedRequest delete = server.getLastRequest();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getUtf8Body())
        .contains("\"preconditions\":{\"resourceVersion\":\"" + resourceVersion + "\"}");
  }

  @Test
  void releaseTwiceLogsOnce() {
    RecordingLog log = new RecordingLog();
    RolloutLease lease = acquire("deploy", new MutableClock(START), log);

    lease.close();
    lease.close();

    assertThat(log.infoLines()).filteredOn(line -> line.startsWith("Released")).hasSize(1);
  }

  @Test
  void releaseAfterTakeOverKeepsOtherLease() {
    MutableClock clock = new MutableClock(START);
    RolloutLease first = acquire("deploy", clock, new RecordingLog());
    clock.advance(Duration.ofSeconds(31));
    RolloutLease second = acquire("deploy", clock, new RecordingLog());

    first.release();

    assertThat(storedLease()).as("lease after the first run released").isNotNull();
    assertThat(storedLease().getSpec().getHolderIdentity()).isEqualTo(second.holderIdentity());
  }

  @Test
  void releaseWhenServerUnreachableWarns() {
    RecordingLog log = new RecordingLog();
    RolloutLease lease = acquire("deploy", new MutableClock(START), log);
    server.destroy();

    lease.release();

    assertThat(log.warnings()).hasSize(1);
    assertThat(log.warnings().get(0))
        .startsWith("Failed to release lease web-canary-lock in namespace shop: ")
        .endsWith("run 'kubectl delete lease web-canary-lock -n shop'.");
  }

  @Test
  void forbiddenGetIsTranslated() {
    KubernetesMockServer expectations = new KubernetesMockServer(false);
    expectations.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient restricted = createClient(expectations)) {
      expectations
          .expect()
          .get()
          .withPath("/apis/coordination.k8s.io/v1/namespaces/shop/leases/web-canary-lock")
          .andReturn(
              403,
              new StatusBuilder()
                  .withCode(403)
                  .withMessage("leases.coordination.k8s.io \"web-canary-lock\" is forbidden")
                  .build())
          .always();

      ClusterAccessException rejection =
          catchThrowableOfType(
              ClusterAccessException.class,
              () ->
                  RolloutLease.acquire(
                      restricted,
                      NAMESPACE,
                      STATEFUL_SET,
                      "deploy",
                      LEASE_DURATION,
                      new RecordingLog(),
                      new MutableClock(START)));

      assertThat(rejection).as("exception of the acquire").isNotNull();
      assertThat(rejection.getMessage()).startsWith("Forbidden to get leases in namespace shop");
    } finally {
      expectations.destroy();
    }
  }

  @Test
  void leaseNameAppendsSuffix() {
    assertThat(LeaseClient.leaseName("web")).isEqualTo("web-canary-lock");
  }

  @Test
  void longLeaseNameStaysWithinLimit() {
    String longName = "a".repeat(250);
    String otherLongName = "a".repeat(249) + "b";

    String name = LeaseClient.leaseName(longName);

    assertThat(name).hasSize(253);
    assertThat(name).endsWith("-canary-lock");
    assertThat(name).isNotEqualTo(LeaseClient.leaseName(otherLongName));
  }

  // Without retries, requests to a stopped server fail at once instead of after fabric8's backoff.
  private static KubernetesClient createClient(KubernetesMockServer mockServer) {
    return mockServer.createClient(
        builder ->
            builder
                .editOrNewConfig()
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(2_000)
                .withConnectionTimeout(2_000)
                .endConfig());
  }

  private RolloutLease acquire(String goal, Clock clock, ProgressLog log) {
    return acquire(goal, clock, log, LEASE_DURATION);
  }

  private RolloutLease acquire(String goal, Clock clock, ProgressLog log, Duration duration) {
    RolloutLease lease =
        RolloutLease.acquire(client, NAMESPACE, STATEFUL_SET, goal, duration, log, clock);
    acquired.add(lease);
    return lease;
  }

  private Lease storedLease() {
    return client.leases().inNamespace(NAMESPACE).withName(LEASE_NAME).get();
  }

  private static Lease foreignLease(String holderIdentity, Instant renewed) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(LEASE_NAME)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holderIdentity)
        .withLeaseDurationSeconds(15)
        .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
        .endSpec()
        .build();
  }

  /** A clock that tests move forward by hand. */
  private static final class MutableClock extends Clock {

    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("tests use UTC only");
    }
  }

  /** Collects log lines by level. */
  private static final class RecordingLog implements ProgressLog {

    private final List<String> info = Collections.synchronizedList(new ArrayList<>());
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final List<String> debug = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String message) {
      info.add(message);
    }

    @Override
    public void warn(String message) {
      warnings.add(message);
    }

    @Override
    public void debug(String message) {
      debug.add(message);
    }

    List<String> infoLines() {
      return List.copyOf(info);
    }

    List<String> warnings() {
      return List.copyOf(warnings);
    }

    List<String> debugLines() {
      return List.copyOf(debug);
    }
  }
}
