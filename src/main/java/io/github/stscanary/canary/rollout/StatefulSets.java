package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.KubeErrors;
import java.util.List;
import java.util.stream.Collectors;

/** Reads a StatefulSet and finds its container, with errors that name the fix. */
public final class StatefulSets {

  private StatefulSets() {}

  /** Returns the StatefulSet, or fails naming the namespace and how to create it. */
  public static StatefulSet require(ClusterConnection connection, String name) {
    StatefulSet statefulSet;
    try {
      statefulSet =
          connection
              .client()
              .apps()
              .statefulSets()
              .inNamespace(connection.namespace())
              .withName(name)
              .get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "get", "statefulsets", connection.namespace());
    }
    if (statefulSet == null) {
      throw new RolloutException(
          "StatefulSet "
              + name
              + " not found in namespace "
              + connection.namespace()
              + " ("
              + connection.describe()
              + "). Check -Dcanary.statefulSet and -Dcanary.namespace, or create it with"
              + " 'mvn canary:apply'.");
    }
    return statefulSet;
  }

  /**
   * Returns the name of the container to update: {@code requested} when the template has it, or the
   * only container when {@code requested} is null.
   */
  static String resolveContainer(StatefulSet statefulSet, String requested) {
    List<Container> containers = statefulSet.getSpec().getTemplate().getSpec().getContainers();
    String names = containers.stream().map(Container::getName).collect(Collectors.joining(", "));
    if (requested == null || requested.isBlank()) {
      if (containers.size() != 1) {
        throw new RolloutException(
            "StatefulSet "
                + statefulSet.getMetadata().getName()
                + " has "
                + containers.size()
                + " containers ("
                + names
                + "). Name the one to update with -Dcanary.container=NAME.");
      }
      return containers.get(0).getName();
    }
    if (containers.stream().noneMatch(container -> requested.equals(container.getName()))) {
      throw new RolloutException(
          "Container '"
              + requested
              + "' not found in statefulset/"
              + statefulSet.getMetadata().getName()
              + "; its containers are: "
              + names
              + ". Fix -Dcanary.container.");
    }
    return requested;
  }

  /**
   * Lists the pods that {@code statefulSet} owns: those its selector matches and whose owner
   * reference carries its uid, so pods of another controller with the same labels are left out.
   */
  public static List<Pod> ownedPods(ClusterConnection connection, StatefulSet statefulSet) {
    List<Pod> pods;
    try {
      pods =
          connection
              .client()
              .pods()
              .inNamespace(connection.namespace())
              .withLabelSelector(statefulSet.getSpec().getSelector())
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "list", "pods", connection.namespace());
    }
    String uid = statefulSet.getMetadata().getUid();
    return pods.stream().filter(pod -> ownedBy(pod, uid)).toList();
  }

  /** Returns whether an owner reference of {@code pod} carries {@code uid}. */
  static boolean ownedBy(Pod pod, String uid) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(owner -> uid.equals(owner.getUid()));
  }

  static Container container(StatefulSet statefulSet, String name) {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(container -> name.equals(container.getName()))
        .findFirst()
        .orElseThrow();
  }
}
