package io.github.stscanary.canary.verify;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.KubeErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Waits until a Service's Endpoints list the StatefulSet's Ready pods, each with its current IP,
 * and no pod of the StatefulSet that is gone, replaced or not Ready.
 *
 * <p>The API server's service proxy picks a random ready address from the core v1 Endpoints object
 * (ResourceLocation in pkg/registry/core/service/storage of Kubernetes 1.36). The endpoints
 * controller updates it shortly after a pod's readiness changes, so right after a rollout it may
 * still lack a new canary pod.
 */
final class ServiceEndpoints {

  static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private ServiceEndpoints() {}

  /**
   * Polls the Endpoints until they match or {@code deadline} passes.
   *
   * @param readyPods pod name to IP, for the Ready pods of the StatefulSet
   * @param podNames names of all pods of the StatefulSet, Ready or not
   * @return {@code null} once they match, else a sentence on what is still missing or left over
   */
  static String await(
      ClusterConnection connection,
      ServiceTarget target,
      Map<String, String> readyPods,
      Set<String> podNames,
      Instant deadline,
      ProgressLog log)
      throws InterruptedException {
    String lastMismatch = null;
    while (true) {
      String mismatch = compare(read(connection, target), target.portName(), readyPods, podNames);
      if (mismatch == null) {
        if (lastMismatch != null) {
          log.info("Endpoints of " + target.describe() + " list the Ready pods");
        }
        return null;
      }
      if (!mismatch.equals(lastMismatch)) {
        log.info("Waiting for the endpoints of " + target.describe() + ": " + mismatch);
        lastMismatch = mismatch;
      }
      if (!Instant.now().plus(POLL_INTERVAL).isBefore(deadline)) {
        return "The endpoints of "
            + target.describe()
            + " do not match the Ready pods before canary.verifyTimeout passed: "
            + mismatch
            + ". Check them with 'kubectl get endpoints "
            + target.name()
            + " -o wide'";
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  private static Endpoints read(ClusterConnection connection, ServiceTarget target) {
    try {
      return connection
          .client()
          .endpoints()
          .inNamespace(connection.namespace())
          .withName(target.name())
          .get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "get", "endpoints", connection.namespace());
    }
  }

  /**
   * Returns {@code null} when the ready addresses of {@code endpoints} for {@code portName} list
   * every pod of {@code readyPods} with its IP and no other pod of {@code podNames}, else what
   * differs. Addresses of pods outside {@code podNames} are ignored.
   */
  static String compare(
      Endpoints endpoints, String portName, Map<String, String> readyPods, Set<String> podNames) {
    Map<String, String> listed = new TreeMap<>();
    if (endpoints != null && endpoints.getSubsets() != null) {
      for (EndpointSubset subset : endpoints.getSubsets()) {
        if (!hasPort(subset, portName) || subset.getAddresses() == null) {
          continue;
        }
        for (EndpointAddress address : subset.getAddresses()) {
          if (address.getTargetRef() != null
              && "Pod".equals(address.getTargetRef().getKind())
              && podNames.contains(address.getTargetRef().getName())) {
            listed.put(address.getTargetRef().getName(), address.getIp());
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> pod : new TreeMap<>(readyPods).entrySet()) {
      if (!Objects.equals(listed.get(pod.getKey()), pod.getValue())) {
        missing.add(pod.getKey() + " (" + pod.getValue() + ")");
      }
    }
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> entry : listed.entrySet()) {
      if (!Objects.equals(readyPods.get(entry.getKey()), entry.getValue())) {
        stale.add(entry.getKey() + " (" + entry.getValue() + ")");
      }
    }
    if (missing.isEmpty() && stale.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add("missing " + missing);
    }
    if (!stale.isEmpty()) {
      parts.add("not Ready or replaced " + stale);
    }
    return String.join(", ", parts);
  }

  private static boolean hasPort(EndpointSubset subset, String portName) {
    if (subset.getPorts() == null) {
      return false;
    }
    for (EndpointPort port : subset.getPorts()) {
      String name = port.getName() == null ? "" : port.getName();
      if (name.equals(portName)) {
        return true;
      }
    }
    return false;
  }
}
