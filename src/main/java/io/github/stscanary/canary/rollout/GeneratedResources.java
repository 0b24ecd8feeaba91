package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;

/**
 * A StatefulSet and a Service built from plugin parameters, for projects without manifests.
 *
 * @param name name of the StatefulSet
 * @param serviceName name of the Service, also the StatefulSet's {@code serviceName}
 * @param image image of the container; required when resources are generated
 * @param containerName name of the single container
 * @param containerPort port the container listens on; the Service forwards its port to it
 * @param replicas number of pods
 * @param serviceType {@code ClusterIP}, {@code NodePort} or {@code LoadBalancer}
 * @param nodePort node port for a NodePort Service, or {@code null} to let the cluster pick one
 * @param labels pod labels, also the selector of the StatefulSet and the Service
 */
public record GeneratedResources(
    String name,
    String serviceName,
    String image,
    String containerName,
    int containerPort,
    int replicas,
    String serviceType,
    Integer nodePort,
    Map<String, String> labels) {

  private static final List<String> SERVICE_TYPES =
      List.of("ClusterIP", "NodePort", "LoadBalancer");

  /** Returns the StatefulSet and then the Service, after checking the parameters. */
  public List<HasMetadata> build() {
    validate();
    StatefulSet statefulSet =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withServiceName(serviceName)
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withNewUpdateStrategy()
            .withType(StatefulSetState.ROLLING_UPDATE)
            .withNewRollingUpdate()
            .withPartition(0)
            .endRollingUpdate()
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName(containerName)
            .withImage(image)
            .addNewPort()
            .withName("web")
            .withContainerPort(containerPort)
            .endPort()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    ServicePortBuilder port =
        new ServicePortBuilder()
            .withName("web")
            .withPort(containerPort)
            .withTargetPort(new IntOrString("web"));
    if (nodePort != null) {
      port.withNodePort(nodePort);
    }
    Service service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(serviceName)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withType(serviceType)
            .withSelector(labels)
            .withPorts(port.build())
            .endSpec()
            .build();
    return List.of(statefulSet, service);
  }

  private void validate() {
    if (image == null || image.isBlank()) {
      throw new RolloutException(
          "No image for the generated StatefulSet "
              + name
              + ". Run canary:build first, or set -Dcanary.image=REGISTRY/REPOSITORY:TAG.");
    }
    ImageReferences.requireValid(image);
    if (replicas < 1) {
      throw new RolloutException(
          "Invalid replicas " + replicas + ": it must be at least 1. Fix -Dcanary.replicas.");
    }
    if (containerPort < 1 || containerPort > 65535) {
      throw new RolloutException(
          "Invalid container port "
              + containerPort
              + ": it must be between 1 and 65535. Fix -Dcanary.containerPort.");
    }
    if (!SERVICE_TYPES.contains(serviceType)) {
      throw new RolloutException(
          "Invalid service type '"
              + serviceType
              + "': expected one of "
              + SERVICE_TYPES
              + ". Fix -Dcanary.serviceType.");
    }
    if (nodePort != null && "ClusterIP".equals(serviceType)) {
      throw new RolloutException(
          "A nodePort ("
              + nodePort
              + ") needs -Dcanary.serviceType=NodePort or LoadBalancer, not ClusterIP.");
    }
    if (labels.isEmpty()) {
      throw new RolloutException("No pod labels: set at least one in <labels>.");
    }
  }
}
