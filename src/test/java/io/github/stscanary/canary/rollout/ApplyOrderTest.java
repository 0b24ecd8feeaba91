package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.github.stscanary.canary.rollout.ApplyService.SourcedResource;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyOrderTest {

  @Test
  void servicesWithFixedPortsOrAddressesGoFirst() {
    List<SourcedResource> resources =
        List.of(
            sourced(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("settings")
                    .endMetadata()
                    .build()),
            sourced(
                new StatefulSetBuilder().withNewMetadata().withName("web").endMetadata().build()),
            sourced(service("headless", "None", null)),
            sourced(service("public", null, 30080)),
            sourced(service("fixed", "10.96.0.20", null)));

    List<String> order =
        ApplyService.allocatingFirst(resources).stream()
            .map(resource -> resource.resource().getMetadata().getName())
            .toList();

    assertThat(order).containsExactly("public", "fixed", "settings", "web", "headless");
  }

  private static SourcedResource sourced(HasMetadata resource) {
    return new SourcedResource(resource, "test.yaml");
  }

  private static HasMetadata service(String name, String clusterIp, Integer nodePort) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(clusterIp)
        .addNewPort()
        .withPort(80)
        .withNodePort(nodePort)
        .endPort()
        .endSpec()
        .build();
  }
}
