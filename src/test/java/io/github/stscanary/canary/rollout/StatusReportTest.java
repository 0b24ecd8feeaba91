package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.stscanary.canary.kube.ClusterConnection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusReportTest {

  private static final Instant NOW = Instant.parse("2025-03-10T10:05:00Z");

  @TempDir Path folder;

  @Test
  void toMapHasKeysInOrder() {
    Map<String, Object> map = pausedReport().toMap(NOW);

    assertThat(map.keySet())
        .containsExactly(
            "namespace",
            "statefulSet",
            "phase",
            "strategy",
            "partition",
            "replicas",
            "readyReplicas",
            "updatedReplicas",
            "currentReplicas",
            "currentRevision",
            "updateRevision",
            "generation",
            "observedGeneration",
            "pending",
            "pods",
            "time");
  }

  @Test
  void toMapReadsStatefulSetFields() {
    Map<String, Object> map = pausedReport().toMap(NOW);

    assertThat(map.get("namespace")).isEqualTo("shop");
    assertThat(map.get("statefulSet")).isEqualTo("web");
    assertThat(map.get("phase")).isEqualTo("Paused");
    assertThat(map.get("strategy")).isEqualTo("RollingUpdate");
    assertThat(map.get("partition")).isEqualTo(3);
    assertThat(map.get("replicas")).isEqualTo(5);
    assertThat(map.get("updatedReplicas")).isEqualTo(2);
    assertThat(map.get("currentRevision")).isEqualTo(RecordedRollout.STABLE_REVISION);
    assertThat(map.get("updateRevision")).isEqualTo(RecordedRollout.UPDATE_REVISION);
    assertThat(map.get("generation")).isEqualTo(4L);
    assertThat(map.get("pending")).isEqualTo(List.of());
    assertThat(map.get("time")).isEqualTo("2025-03-10T10:05:00Z");
  }

  @Test
  void toMapGivesPodRoles() {
    List<Map<String, Object>> pods = podsOf(pausedReport().toMap(NOW));

    assertThat(pods)
        .extracting(pod -> pod.get("role"))
        .containsExactly("stable", "stable", "stable", "canary", "canary");
  }

  @Test
  void toMapDescribesEachPod() {
    Map<String, Object> pod = podsOf(pausedReport().toMap(NOW)).get(4);

    assertThat(pod.keySet())
        .containsExactly(
            "name",
            "ordinal",
            "ready",
            "status",
            "restarts",
            "created",
            "image",
            "revision",
            "role");
    assertThat(pod.get("name")).isEqualTo("web-4");
    assertThat(pod.get("ordinal")).isEqualTo(4);
    assertThat(pod.get("ready")).isEqualTo(true);
    assertThat(pod.get("created")).isEqualTo("2025-03-10T10:02:17Z");
    assertThat(pod.get("image")).isEqualTo(RecordedRollout.UPDATE_IMAGE);
  }

  @Test
  void toMapSerializesToJson() {
    String json = new KubernetesSerialization().asJson(pausedReport().toMap(NOW));

    assertThat(json)
        .startsWith("{\"namespace\":\"shop\",\"statefulSet\":\"web\",\"phase\":\"Paused\"");
    assertThat(json).contains("{\"name\":\"web-4\",\"ordinal\":4,\"ready\":true,");
  }

  @Test
  void toLinesStartsWithHeader() {
    List<String> lines = pausedReport().toLines(NOW);

    assertThat(lines.subList(0, 3))
        .containsExactly(
            "statefulset/web in namespace shop: Paused",
            "  partition 3, replicas 5, ready 5, updated 2, current 3",
            "  current revision web-6d8f7c9b5d, update revision web-7f9c6b8d4c");
    assertThat(lines.get(3)).startsWith("NAME ");
    assertThat(lines).hasSize(9);
  }

  @Test
  void toLinesListsPendingReasons() {
    RecordedRollout rollout =
        RecordedRollout.partitionThreeComplete().withPod(1, RecordedRollout.notReady());
    StatusReport report =
        new StatusReport(
            rollout.evaluate(3), RolloutPhase.of(rollout.state(), rollout.podStates()));

    List<String> lines = report.toLines(NOW);

    assertThat(lines.get(0)).isEqualTo("statefulset/web in namespace shop: Progressing");
    assertThat(lines.get(3)).isEqualTo("  waiting: web-1 is not Ready (Running)");
  }

  @Test
  void readKeepsOnlyOwnedPods() throws Exception {
    try (MockApiServer server = MockApiServer.start(folder)) {
      RecordedRollout rollout = RecordedRollout.partitionThreeComplete();
      server.create(rollout);
      // A pod created by hand with the StatefulSet's labels, but without its owner reference.
      Pod copy =
          new PodBuilder(rollout.pods().get(0))
              .editMetadata()
              .withName("web-0-debug")
              .withOwnerReferences()
              .endMetadata()
              .build();
      server.createPod(copy);

      StatusReport report = read(server, null);

      assertThat(report.progress().pods())
          .extracting(PodState::name)
          .containsExactly("web-0", "web-1", "web-2", "web-3", "web-4");
    }
  }

  @Test
  void readClassifiesPhase() throws Exception {
    try (MockApiServer server = MockApiServer.start(folder)) {
      server.create(RecordedRollout.canaryCrashLoop());

      StatusReport report = read(server, null);

      assertThat(report.phase()).isEqualTo(RolloutPhase.DEGRADED);
      assertThat(report.progress().failedPods())
          .extracting(PodState::name)
          .containsExactly("web-4");
    }
  }

  @Test
  void readShowsFirstOfSeveralContainers() throws Exception {
    try (MockApiServer server = MockApiServer.start(folder)) {
      RecordedRollout rollout =
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
                          .endSpec());
      server.create(rollout);

      StatusReport report = read(server, null);

      assertThat(report.progress().pods())
          .extracting(PodState::image)
          .containsExactly(
              RecordedRollout.STABLE_IMAGE,
              RecordedRollout.STABLE_IMAGE,
              RecordedRollout.STABLE_IMAGE,
              RecordedRollout.UPDATE_IMAGE,
              RecordedRollout.UPDATE_IMAGE);
    }
  }

  @Test
  void readOfMissingStatefulSetFails() throws Exception {
    try (MockApiServer server = MockApiServer.start(folder)) {
      assertThatThrownBy(() -> read(server, null))
          .isInstanceOf(RolloutException.class)
          .hasMessageStartingWith("StatefulSet web not found in namespace shop");
    }
  }

  @Test
  void readSendsOnlyGetRequests() throws Exception {
    try (MockApiServer server = MockApiServer.start(folder)) {
      server.create(RecordedRollout.partitionThreeComplete());
      server.takeRequests();

      read(server, "app");

      assertThat(server.takeRequests())
          .isNotEmpty()
          .allMatch(request -> request.startsWith("GET "));
    }
  }

  private static StatusReport read(MockApiServer server, String container) {
    try (ClusterConnection connection = server.connect()) {
      return StatusReport.read(connection, "web", container);
    }
  }

  private static StatusReport pausedReport() {
    RecordedRollout rollout = RecordedRollout.partitionThreeComplete();
    return new StatusReport(
        rollout.evaluate(3), RolloutPhase.of(rollout.state(), rollout.podStates()));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> podsOf(Map<String, Object> map) {
    return (List<Map<String, Object>>) map.get("pods");
  }
}
