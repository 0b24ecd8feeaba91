package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.KubeErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deletes a StatefulSet and its Service, and optionally its PersistentVolumeClaims and namespace.
 */
public final class UndeployService {

  /** How long the controller may take to drop its owner references from the claims. */
  static final Duration CLAIM_RELEASE_TIMEOUT = Duration.ofSeconds(60);

  private final ClusterConnection connection;
  private final ProgressLog log;

  public UndeployService(ClusterConnection connection, ProgressLog log) {
    this.connection = connection;
    this.log = log;
  }

  /**
   * Objects to delete beside the StatefulSet.
   *
   * @param serviceName Service to delete, or {@code null} for the StatefulSet's {@code serviceName}
   * @param deleteVolumes also delete the claims made from {@code volumeClaimTemplates}
   * @param deleteNamespace also delete the namespace, with everything else in it
   */
  public record UndeployRequest(
      String statefulSet, String serviceName, boolean deleteVolumes, boolean deleteNamespace) {}

  /** Deletes and returns a line per deleted object, such as {@code statefulset/web}. */
  public List<String> undeploy(UndeployRequest request) {
    String namespace = connection.namespace();
    List<String> deleted = new ArrayList<>();
    StatefulSet statefulSet =
        call(
            "get",
            "statefulsets",
            () ->
                connection
                    .client()
                    .apps()
                    .statefulSets()
                    .inNamespace(namespace)
                    .withName(request.statefulSet())
                    .get());
    String serviceName = request.serviceName();
    List<String> claimPrefixes = new ArrayList<>();
    if (statefulSet != null) {
      if (serviceName == null || serviceName.isBlank()) {
        serviceName = statefulSet.getSpec().getServiceName();
      }
      if (statefulSet.getSpec().getVolumeClaimTemplates() != null) {
        statefulSet
            .getSpec()
            .getVolumeClaimTemplates()
            .forEach(
                template ->
                    claimPrefixes.add(
                        template.getMetadata().getName() + "-" + request.statefulSet() + "-"));
      }
      if (!request.deleteVolumes()) {
        retainClaims(statefulSet);
      }
      call(
          "delete",
          "statefulsets",
          () ->
              connection
                  .client()
                  .apps()
                  .statefulSets()
                  .inNamespace(namespace)
                  .withName(request.statefulSet())
                  .delete());
      deleted.add("statefulset/" + request.statefulSet());
    } else {
      log.info("StatefulSet " + request.statefulSet() + " not found in namespace " + namespace);
    }

    if (serviceName != null && !serviceName.isBlank()) {
      String service = serviceName;
      boolean removed =
          !call(
                  "delete",
                  "services",
                  () ->
                      connection
                          .client()
                          .services()
                          .inNamespace(namespace)
                          .withName(service)
                          .delete())
              .isEmpty();
      if (removed) {
        deleted.add("service/" + service);
      }
    }

    if (request.deleteVolumes()) {
      deleted.addAll(deleteClaims(claimPrefixes));
    } else if (!claimPrefixes.isEmpty()) {
      log.info("Keeping PersistentVolumeClaims; delete them with -Dcanary.deleteVolumes=true");
    }

    if (request.deleteNamespace()) {
      call(
          "delete",
          "namespaces",
          () -> connection.client().namespaces().withName(namespace).delete());
      deleted.add("namespace/" + namespace);
    }
    return deleted;
  }

  // A claim retention policy of whenDeleted: Delete would remove the claims with the StatefulSet.
  private void retainClaims(StatefulSet statefulSet) {
    var policy = statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy();
    if (policy == null || !"Delete".equals(policy.getWhenDeleted())) {
      return;
    }
    log.info(
        "Setting persistentVolumeClaimRetentionPolicy.whenDeleted to Retain, so the claims stay");
    String patch =
        connection
            .client()
            .getKubernetesSerialization()
            .asJson(
                Map.of(
                    "spec",
                    Map.of(
                        "persistentVolumeClaimRetentionPolicy", Map.of("whenDeleted", "Retain"))));
    call(
        "patch",
        "statefulsets",
        () ->
            connection
                .client()
                .apps()
                .statefulSets()
                .inNamespace(connection.namespace())
                .withName(statefulSet.getMetadata().getName())
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch));
    awaitClaimsReleased(statefulSet);
  }

  // The controller drops its owner references from the claims only after it has seen the new
  // policy. Deleting the StatefulSet before that would let the garbage collector take the claims.
  private void awaitClaimsReleased(StatefulSet statefulSet) {
    String uid = statefulSet.getMetadata().getUid();
    CompletableFuture<List<PersistentVolumeClaim>> released =
        connection
            .client()
            .persistentVolumeClaims()
            .inNamespace(connection.namespace())
            .informOnCondition(claims -> claims.stream().noneMatch(claim -> ownedBy(claim, uid)));
    try {
      released.get(CLAIM_RELEASE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new RolloutException(
          "The StatefulSet controller did not release the PersistentVolumeClaims of statefulset/"
              + statefulSet.getMetadata().getName()
              + " within "
              + CLAIM_RELEASE_TIMEOUT.toSeconds()
              + " s, so it was not deleted. Check the kube-controller-manager and run"
              + " canary:undeploy again.");
    } catch (ExecutionException e) {
      throw new RolloutException(
          "Failed to watch the PersistentVolumeClaims in namespace "
              + connection.namespace()
              + ": "
              + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RolloutException("Interrupted while waiting for the claims to be released");
    } finally {
      // Completing the future, also by cancelling it, stops the informer behind it.
      released.cancel(true);
    }
  }

  private static boolean ownedBy(PersistentVolumeClaim claim, String uid) {
    List<OwnerReference> owners = claim.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(owner -> uid.equals(owner.getUid()));
  }

  private List<String> deleteClaims(List<String> prefixes) {
    List<String> deleted = new ArrayList<>();
    if (prefixes.isEmpty()) {
      return deleted;
    }
    List<PersistentVolumeClaim> claims =
        call(
            "list",
            "persistentvolumeclaims",
            () ->
                connection
                    .client()
                    .persistentVolumeClaims()
                    .inNamespace(connection.namespace())
                    .list()
                    .getItems());
    for (PersistentVolumeClaim claim : claims) {
      String name = claim.getMetadata().getName();
      if (prefixes.stream().anyMatch(name::startsWith)) {
        call(
            "delete",
            "persistentvolumeclaims",
            () ->
                connection
                    .client()
                    .persistentVolumeClaims()
                    .inNamespace(connection.namespace())
                    .withName(name)
                    .delete());
        deleted.add("persistentvolumeclaim/" + name);
      }
    }
    return deleted;
  }

  private <T> T call(String verb, String resource, java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, verb, resource, connection.namespace());
    }
  }
}
