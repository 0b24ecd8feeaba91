package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratedResourcesTest {

  private static final Map<String, String> LABELS = Map.of("app", "web");

  @Test
  void buildReturnsStatefulSetThenService() {
    List<HasMetadata> resources =
        resources("127.0.0.1:5000/shop/web:v1", 3, 8080, "ClusterIP", null).build();

    assertThat(resources)
        .extracting(HasMetadata::getKind)
        .containsExactly("StatefulSet", "Service");
  }

  @Test
  void buildSetsPartitionZeroRollingUpdate() {
    StatefulSet statefulSet =
        statefulSetOf(resources("127.0.0.1:5000/shop/web:v1", 3, 8080, "ClusterIP", null));

    assertThat(statefulSet.getMetadata().getName()).isEqualTo("web");
    assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
    assertThat(statefulSet.getSpec().getServiceName()).isEqualTo("web-http");
    assertThat(statefulSet.getSpec().getSelector().getMatchLabels()).isEqualTo(LABELS);
    assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(LABELS);
    assertThat(statefulSet.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(statefulSet.getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
        .isZero();
  }

  @Test
  void buildNamesContainerAndPort() {
    StatefulSet statefulSet =
        statefulSetOf(resources("127.0.0.1:5000/shop/web:v1", 3, 8080, "ClusterIP", null));

    var container = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(statefulSet.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    assertThat(container.getName()).isEqualTo("app");
    assertThat(container.getImage()).isEqualTo("127.0.0.1:5000/shop/web:v1");
    assertThat(container.getPorts().get(0).getName()).isEqualTo("web");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
  }

  @Test
  void buildForwardsServicePortByName() {
    Service service =
        serviceOf(resources("127.0.0.1:5000/shop/web:v1", 3, 8080, "NodePort", 30080));

    ServicePort port = service.getSpec().getPorts().get(0);
    assertThat(service.getMetadata().getName()).isEqualTo("web-http");
    assertThat(service.getSpec().getType()).isEqualTo("NodePort");
    assertThat(service.getSpec().getSelector()).isEqualTo(LABELS);
    assertThat(port.getPort()).isEqualTo(8080);
    assertThat(port.getTargetPort()).isEqualTo(new IntOrString("web"));
    assertThat(port.getNodePort()).isEqualTo(30080);
  }

  @Test
  void buildLeavesNodePortToCluster() {
    Service service = serviceOf(resources("127.0.0.1:5000/shop/web:v1", 3, 8080, "NodePort", null));

    assertThat(service.getSpec().getPorts().get(0).getNodePort()).isNull();
  }

  @Test
  void missingImageRejected() {
    assertThatThrownBy(() -> resources(null, 3, 8080, "ClusterIP", null).build())
        .isInstanceOf(RolloutException.class)
        .hasMessage(
            "No image for the generated StatefulSet web. Run canary:build first, or set"
                + " -Dcanary.image=REGISTRY/REPOSITORY:TAG.");
  }

  @Test
  void invalidImageRejected() {
    assertThatThrownBy(
            () -> resources("127.0.0.1:5000/Shop/web:v1", 3, 8080, "ClusterIP", null).build())
        .isInstanceOf(RolloutException.class)
        .hasMessageStartingWith("Invalid image reference '127.0.0.1:5000/Shop/web:v1'")
        .hasMessageEndingWith("Fix -Dcanary.image or <image>.");
  }

  @Test
  void zeroReplicasRejected() {
    assertThatThrownBy(() -> resources("web:v1", 0, 8080, "ClusterIP", null).build())
        .isInstanceOf(RolloutException.class)
        .hasMessage("Invalid replicas 0: it must be at least 1. Fix -Dcanary.replicas.");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65536})
  void portOutOfRangeRejected(int port) {
    assertThatThrownBy(() -> resources("web:v1", 3, port, "ClusterIP", null).build())
        .isInstanceOf(RolloutException.class)
        .hasMessage(
            "Invalid container port "
                + port
                + ": it must be between 1 and 65535. Fix -Dcanary.containerPort.");
  }

  @Test
  void unknownServiceTypeRejected() {
    assertThatThrownBy(() -> resources("web:v1", 3, 8080, "Headless", null).build())
        .isInstanceOf(RolloutException.class)
        .hasMessage(
            "Invalid service type 'Headless': expected one of [ClusterIP, NodePort, LoadBalancer]."
                + " Fix -Dcanary.serviceType.");
  }

  @Test
  void nodePortWithClusterIpRejected() {
    assertThatThrownBy(() -> resources("web:v1", 3, 8080, "ClusterIP", 30080).build())
        .isInstanceOf(RolloutException.class)
        .hasMessage(
            "A nodePort (30080) needs -Dcanary.serviceType=NodePort or LoadBalancer, not"
                + " ClusterIP.");
  }

  @Test
  void emptyLabelsRejected() {
    GeneratedResources resources =
        new GeneratedResources("web", "web", "web:v1", "app", 8080, 3, "ClusterIP", null, Map.of());

    assertThatThrownBy(resources::build)
        .isInstanceOf(RolloutException.class)
        .hasMessage("No pod labels: set at least one in <labels>.");
  }

  private static GeneratedResources resources(
      String image, int replicas, int port, String serviceType, Integer nodePort) {
    return new GeneratedResources(
        "web", "web-http", image, "app", port, replicas, serviceType, nodePort, LABELS);
  }

  private static StatefulSet statefulSetOf(GeneratedResources resources) {
    return (StatefulSet) resources.build().get(0);
  }

  private static Service serviceOf(GeneratedResources resources) {
    return (Service) resources.build().get(1);
  }
}
