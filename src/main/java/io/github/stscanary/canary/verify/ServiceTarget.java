package io.github.stscanary.canary.verify;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.KubeErrors;
import io.github.stscanary.canary.rollout.RolloutException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The Service in front of a StatefulSet's pods, one of its ports, and that port on each pod. */
final class ServiceTarget {

  private final String name;
  private final ServicePort port;

  private ServiceTarget(String name, ServicePort port) {
    this.name = name;
    this.port = port;
  }

  /**
   * Reads the Service that {@code request} names, else the one in {@code spec.serviceName}, and
   * picks the requested port, else the first one.
   *
   * @throws RolloutException when there is no such Service or port, with a message that names the
   *     parameter to set
   */
  static ServiceTarget resolve(
      ClusterConnection connection, StatefulSet statefulSet, VerifyRequest request) {
    String statefulSetName = statefulSet.getMetadata().getName();
    String name = request.serviceName();
    if (name == null || name.isBlank()) {
      name = statefulSet.getSpec().getServiceName();
    }
    if (name == null || name.isBlank()) {
      throw new RolloutException(
          "statefulset/"
              + statefulSetName
              + " has no spec.serviceName. Name the Service in front of its pods with"
              + " -Dcanary.serviceName=NAME.");
    }
    Service service;
    try {
      service =
          connection.client().services().inNamespace(connection.namespace()).withName(name).get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "get", "services", connection.namespace());
    }
    if (service == null) {
      throw new RolloutException(
          "Service "
              + name
              + " not found in namespace "
              + connection.namespace()
              + ". Set -Dcanary.serviceName to the Service in front of statefulset/"
              + statefulSetName
              + ", or create it with 'mvn canary:apply'.");
    }
    return new ServiceTarget(name, pickPort(service, request.servicePort()));
  }

  private static ServicePort pickPort(Service service, String requested) {
    List<ServicePort> ports = service.getSpec().getPorts();
    String name = service.getMetadata().getName();
    if (ports == null || ports.isEmpty()) {
      throw new RolloutException(
          "Service " + name + " has no ports. Add one to spec.ports and run 'mvn canary:apply'.");
    }
    if (requested == null || requested.isBlank()) {
      return ports.get(0);
    }
    String wanted = requested.trim();
    for (ServicePort port : ports) {
      if (wanted.equals(port.getName()) || wanted.equals(String.valueOf(port.getPort()))) {
        return port;
      }
    }
    String listed =
        ports.stream()
            .map(
                port ->
                    port.getName() == null
                        ? "" + port.getPort()
                        : port.getName() + " (" + port.getPort() + ")")
            .collect(Collectors.joining(", "));
    throw new RolloutException(
        "Service "
            + name
            + " has no port '"
            + requested
            + "'. Its ports are: "
            + listed
            + ". Fix -Dcanary.servicePort.");
  }

  String name() {
    return name;
  }

  int port() {
    return port.getPort();
  }

  /** Returns the port's name, or an empty string for an unnamed port, as Endpoints name it. */
  String portName() {
    return port.getName() == null ? "" : port.getName();
  }

  /** Returns {@code service/NAME:PORT}. */
  String describe() {
    return "service/" + name + ":" + port.getPort();
  }

  /**
   * Returns the container port of {@code pod} that the Service port's {@code targetPort} selects:
   * the number itself, the container port with that name, or the Service port when it is unset.
   * Returns -1 when the pod has no container port of that name.
   */
  int podPort(Pod pod) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return port.getPort();
    }
    if (target.getIntVal() != null) {
      return target.getIntVal();
    }
    for (Container container : pod.getSpec().getContainers()) {
      if (container.getPorts() == null) {
        continue;
      }
      for (ContainerPort containerPort : container.getPorts()) {
        if (Objects.equals(target.getStrVal(), containerPort.getName())) {
          return containerPort.getContainerPort();
        }
      }
    }
    return -1;
  }

  /** Returns the {@code targetPort} name, for the message when {@link #podPort} finds none. */
  String targetPortName() {
    IntOrString target = port.getTargetPort();
    return target == null || target.getStrVal() == null ? "" : target.getStrVal();
  }
}
