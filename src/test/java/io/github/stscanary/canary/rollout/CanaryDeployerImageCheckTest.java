package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks when {@link CanaryDeployer#deploy} runs its image check: after the request passed the
 * checks against the StatefulSet, before any change, and only for an image that the template does
 * not have yet.
 */
class CanaryDeployerImageCheckTest {

  private static final String NEW_IMAGE = "127.0.0.1:5000/shop/web:v3";

  @TempDir Path folder;

  private final List<String> checked = new CopyOnWriteArrayList<>();
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
  void failedCheckChangesNothing() throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());
    server.takeRequests();
    ImageCheck missing =
        image -> {
          checked.add(image);
          throw new RolloutException("Image " + image + " not found");
        };

    RolloutException error =
        catchThrowableOfType(
            RolloutException.class,
            () -> new CanaryDeployer(connection, new DiscardingLog(), missing).deploy(request(3)));

    assertThat(error).hasMessage("Image " + NEW_IMAGE + " not found");
    assertThat(checked).containsExactly(NEW_IMAGE);
    assertThat(server.takeRequests()).allMatch(request -> request.startsWith("GET "));
    assertThat(server.statefulSet("web").getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void invalidPartitionRejectedBeforeCheck() throws Exception {
    server.create(RecordedRollout.partitionThreeComplete());

    Throwable error = catchThrowable(() -> deployer().deploy(request(6)));

    assertThat(error).hasMessageStartingWith("Invalid partition 6");
    assertThat(checked).isEmpty();
  }

  @Test
  void missingStatefulSetRejectedBeforeCheck() {
    Throwable error = catchThrowable(() -> deployer().deploy(request(3)));

    assertThat(error).hasMessageStartingWith("StatefulSet web not found");
    assertThat(checked).isEmpty();
  }

  // The mock API server cannot apply the strategic merge patch that follows, so the deploy fails
  // after the point where the check would run.
  @Test
  void imageAlreadyInTemplateNotChecked() throws Exception {
    StatefulSet before = server.create(RecordedRollout.partitionThreeComplete());
    String current = before.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

    catchThrowable(
        () -> deployer().deploy(new CanaryRequest("web", null, current, 2, Duration.ofSeconds(1))));

    assertThat(checked).isEmpty();
  }

  private CanaryDeployer deployer() {
    return new CanaryDeployer(connection, new DiscardingLog(), checked::add);
  }

  private static CanaryRequest request(int partition) {
    return new CanaryRequest("web", null, NEW_IMAGE, partition, Duration.ofSeconds(5));
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
