package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stscanary.canary.ProgressLog;
import java.net.HttpURLConnection;

/** Creates namespaces and applies resources with server-side apply. */
public final class ResourceApplier {

  /** Field manager of every server-side apply, so that ownership of fields is visible. */
  public static final String FIELD_MANAGER = "canary-maven-plugin";

  private final ClusterConnection connection;
  private final ProgressLog log;

  public ResourceApplier(ClusterConnection connection, ProgressLog log) {
    this.connection = connection;
    this.log = log;
  }

  /**
   * Creates {@code namespace} when it does not exist. A client that may not read namespaces (a Role
   * limited to one namespace) goes on as if it exists, since it could not create it.
   */
  public void ensureNamespace(String namespace) {
    try {
      Namespace existing = connection.client().namespaces().withName(namespace).get();
      if (existing != null) {
        return;
      }
      connection
          .client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      log.info("Created namespace " + namespace);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
        log.debug("Not allowed to read namespace " + namespace + "; assuming it exists");
        return;
      }
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return;
      }
      throw KubeErrors.translate(e, "create", "namespaces", namespace);
    }
  }

  /** Applies {@code resource} in the connection's namespace, taking over conflicting fields. */
  public HasMetadata apply(HasMetadata resource) {
    String namespace = connection.namespace();
    if (resource.getMetadata().getNamespace() != null
        && !resource.getMetadata().getNamespace().equals(namespace)) {
      throw new ManifestException(
          resource.getKind()
              + " "
              + resource.getMetadata().getName()
              + " names namespace "
              + resource.getMetadata().getNamespace()
              + ", but the goal works in namespace "
              + namespace
              + ". Remove metadata.namespace from the manifest or set -Dcanary.namespace="
              + resource.getMetadata().getNamespace()
              + ".");
    }
    try {
      HasMetadata applied =
          connection
              .client()
              .resource(resource)
              .inNamespace(namespace)
              .fieldManager(FIELD_MANAGER)
              .forceConflicts()
              .serverSideApply();
      log.info(
          "Applied " + resource.getKind().toLowerCase() + "/" + resource.getMetadata().getName());
      return applied;
    } catch (KubernetesClientException e) {
      String kind = resource.getKind() + " " + resource.getMetadata().getName();
      if (e.getCode() == 422 || e.getCode() == HttpURLConnection.HTTP_BAD_REQUEST) {
        String reason = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
        throw new ManifestException(kind + " was rejected by the API server: " + reason, e);
      }
      throw KubeErrors.translate(e, "apply", resource.getPlural(), namespace);
    }
  }
}
