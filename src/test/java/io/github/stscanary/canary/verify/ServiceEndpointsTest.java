package io.github.stscanary.canary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceEndpointsTest {

  private static final Set<String> PODS = Set.of("web-0", "web-1", "web-2");
  private static final Map<String, String> READY =
      Map.of("web-0", "10.88.0.10", "web-1", "10.88.0.11", "web-2", "10.88.0.12");

  @Test
  void matchingEndpointsPass() {
    Endpoints endpoints =
        endpoints(
            "web",
            address("web-0", "10.88.0.10"),
            address("web-1", "10.88.0.11"),
            address("web-2", "10.88.0.12"));

    assertThat(ServiceEndpoints.compare(endpoints, "web", READY, PODS)).isNull();
  }

  @Test
  void missingPodIsNamed() {
    Endpoints endpoints =
        endpoints("web", address("web-0", "10.88.0.10"), address("web-1", "10.88.0.11"));

    assertThat(ServiceEndpoints.compare(endpoints, "web", READY, PODS))
        .isEqualTo("missing [web-2 (10.88.0.12)]");
  }

  @Test
  void replacedPodWithOldAddressIsNamed() {
    Endpoints endpoints =
        endpoints(
            "web",
            address("web-0", "10.88.0.10"),
            address("web-1", "10.88.0.11"),
            address("web-2", "10.88.0.7"));

    assertThat(ServiceEndpoints.compare(endpoints, "web", READY, PODS))
        .isEqualTo("missing [web-2 (10.88.0.12)], not Ready or replaced [web-2 (10.88.0.7)]");
  }

  @Test
  void podsOfOtherWorkloadsAreIgnored() {
    Endpoints endpoints =
        endpoints(
            "web",
            address("web-0", "10.88.0.10"),
            address("web-1", "10.88.0.11"),
            address("web-2", "10.88.0.12"),
            address("debug-7d9f", "10.88.0.30"));

    assertThat(ServiceEndpoints.compare(endpoints, "web", READY, PODS)).isNull();
  }

  @Test
  void addressesOfOtherPortAreIgnored() {
    Endpoints endpoints =
        endpoints(
            "metrics",
            address("web-0", "10.88.0.10"),
            address("web-1", "10.88.0.11"),
            address("web-2", "10.88.0.12"));

    assertThat(ServiceEndpoints.compare(endpoints, "web", READY, PODS))
        .startsWith("missing [web-0 (10.88.0.10), web-1 (10.88.0.11), web-2 (10.88.0.12)]");
  }

  @Test
  void absentEndpointsListNothing() {
    assertThat(ServiceEndpoints.compare(null, "web", Map.of("web-0", "10.88.0.10"), PODS))
        .isEqualTo("missing [web-0 (10.88.0.10)]");
  }

  private static Endpoints endpoints(String portName, EndpointAddress... addresses) {
    return new EndpointsBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .addNewSubset()
        .withAddresses(addresses)
        .addNewPort()
        .withName(portName)
        .withPort(80)
        .endPort()
        .endSubset()
        .build();
  }

  private static EndpointAddress address(String pod, String ip) {
    return new EndpointAddressBuilder()
        .withIp(ip)
        .withNewTargetRef()
        .withKind("Pod")
        .withName(pod)
        .endTargetRef()
        .build();
  }
}
