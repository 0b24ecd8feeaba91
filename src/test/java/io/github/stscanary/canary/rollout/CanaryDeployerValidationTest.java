package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks that {@link CanaryDeployer#deploy} rejects an invalid request before it sends any request
 * that changes the cluster, with a message that names the value and the fix.
 */
class CanaryDeployerValidationTest {

  private static final String NEW_IMAGE = "127.0.0.1:5000/shop/web:v3";

  @TempDir Path folder;

  private MockApiServer server;
  private ClusterConnection connection;

  @BeforeEach
  void startServer() throws Exception {
    server = MockApiServer.start(folder);
    connection = server.connect();
  }

  @AfterEach
  void stopServer() {
    connection.close();
    server.close();
  }

  @Test
  void partitionAboveReplicasRejected() throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());

    RolloutException error = deployRejected(request(null, NEW_IMAGE, 6));

    assertThat(error)
        .hasMessage(
            "Invalid partition 6: it must be between 0 and 5 (spec.replicas of statefulset/web)."
                + " Set -Dpartition=N, where pods with ordinal N and above get the new image.");
    assertUnchanged(before);
  }

  @Test
  void negativePartitionRejected() throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());

    RolloutException error = deployRejected(request(null, NEW_IMAGE, -1));

    assertThat(error).hasMessageStartingWith("Invalid partition -1: it must be between 0 and 5");
    assertThat(error).hasMessageContaining("Set -Dpartition=N");
    assertUnchanged(before);
  }

  @Test
  void onDeleteStrategyRejected() throws Exception {
    StatefulSet before =
        server.create(
            RecordedRollout.partitionThreeComplete()
                .withStatefulSet(
                    statefulSet ->
                        statefulSet
                            .editSpec()
                            .withNewUpdateStrategy()
                            .withType("OnDelete")
                            .endUpdateStrategy()
                            .endSpec()));

    RolloutException error = deployRejected(request(null, NEW_IMAGE, 3));

    assertThat(error)
        .hasMessage(
            "StatefulSet web uses updateStrategy OnDelete, but a partition applies only to"
                + " RollingUpdate. Set spec.updateStrategy.type: RollingUpdate in its manifest and"
                + " run canary:apply.");
    assertUnchanged(before);
  }

  @Test
  void unknownContainerRejected() throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());

    RolloutException error = deployRejected(request("web", NEW_IMAGE, 3));

    assertThat(error)
        .hasMessage(
            "Container 'web' not found in statefulset/web; its containers are: app. Fix"
                + " -Dcanary.container.");
    assertUnchanged(before);
  }

  @Test
  void unnamedContainerAmongSeveralRejected() throws Exception {
    StatefulSet before =
        server.create(
            RecordedRollout.partitionThreeComplete()
                .withStatefulSet(
                    statefulSet ->
                        statefulSet
                            .editSpec()
                            .editTemplate()
                            .editSpec()
                            .addNewContainer()
                            .withName("proxy")
                            .withImage("envoyproxy/envoy:v1.31.0")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()));

    RolloutException error = deployRejected(request(null, NEW_IMAGE, 3));

    assertThat(error)
        .hasMessage(
            "StatefulSet web has 2 containers (app, proxy). Name the one to update with"
                + " -Dcanary.container=NAME.");
    assertUnchanged(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"127.0.0.1:5000/Shop/web:v3", "127.0.0.1:5000/shop/web:", "web@sha256:123"})
  void malformedImageReferenceRejected(String image) throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());

    RolloutException error = deployRejected(request(null, image, 3));

    assertThat(error)
        .hasMessage(
            "Invalid image reference '"
                + image
                + "': expected [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST], for example"
                + " 127.0.0.1:5000/library/version-test:v2. Fix -Dcanary.image or <image>.");
    assertUnchanged(before);
  }

  @Test
  void blankImageRejected() throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());

    RolloutException error = deployRejected(request(null, " ", 3));

    assertThat(error).hasMessageStartingWith("No image to deploy. Set -Dcanary.image=");
    assertUnchanged(before);
  }

  @Test
  void missingStatefulSetRejected() throws Exception {
    RolloutException error = deployRejected(request(null, NEW_IMAGE, 3));

    assertThat(error)
        .hasMessageStartingWith(
            "StatefulSet web not found in namespace shop (API server http://127.0.0.1:");
    assertThat(error)
        .hasMessageEndingWith(
            "Check -Dcanary.statefulSet and -Dcanary.namespace, or create it with 'mvn"
                + " canary:apply'.");
    assertThat(server.takeRequests()).allMatch(request -> request.startsWith("GET "));
  }

  private static CanaryRequest request(String container, String image, int partition) {
    return new CanaryRequest("web", container, image, partition, Duration.ofSeconds(5));
  }

  private RolloutException deployRejected(CanaryRequest request) throws InterruptedException {
    server.takeRequests();
    CanaryDeployer deployer = new CanaryDeployer(connection, new DiscardingLog());
    return catchThrowableOfType(RolloutException.class, () -> deployer.deploy(request));
  }

  /** Asserts that only GET requests reached the server and the StatefulSet is as created. */
  private void assertUnchanged(StatefulSet before) throws InterruptedException {
    List<String> requests = server.takeRequests();
    StatefulSet after = server.statefulSet("web");

    assertThat(requests).allMatch(request -> request.startsWith("GET "));
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getSpec()).isEqualTo(before.getSpec());
  }

  private static final class DiscardingLog implements ProgressLog {

    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
  }
}
