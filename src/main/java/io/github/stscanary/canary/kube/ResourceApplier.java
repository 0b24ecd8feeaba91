package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stscanary.canary.ProgressLog;
import java.net.HttpURLConnection;
import java.util.Locale;

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

  /**
   * Sends {@code resource} as a server-side dry run, so that the API server validates it, including
   * against the stored object, without storing anything.
   *
   * @param source where the resource comes from, such as its manifest file, for messages
   * @throws ManifestException naming {@code source} and the API server's reason when it is invalid
   */
  public void validate(HasMetadata resource, String source) {
    serverSideApply(resource, source, true);
    log.debug(
        "Validated " + describe(resource) + " from " + source + " with a server-side dry run");
  }

  /**
   * Applies {@code resource} in the connection's namespace, taking over conflicting fields.
   *
   * @param source where the resource comes from, such as its manifest file, for messages
   */
  public HasMetadata apply(HasMetadata resource, String source) {
    HasMetadata applied = serverSideApply(resource, source, false);
    log.info("Applied " + describe(resource));
    return applied;
  }

  private HasMetadata serverSideApply(HasMetadata resource, String source, boolean dryRun) {
    String namespace = connection.namespace();
    requireNamespace(resource, source, namespace);
    requireKnownType(resource, source);
    try {
      return connection
          .client()
          .resource(resource)
          .inNamespace(namespace)
          .dryRun(dryRun)
          .fieldManager(FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException e) {
      throw ResourceErrors.translate(e, resource, source, namespace);
    }
  }

  private static void requireNamespace(HasMetadata resource, String source, String namespace) {
    String named = resource.getMetadata().getNamespace();
    if (named != null && !named.equals(namespace)) {
      throw new ManifestException(
          source
              + ": "
              + resource.getKind()
              + " "
              + resource.getMetadata().getName()
              + " names namespace "
              + named
              + ", but the goal works in namespace "
              + namespace
              + ". Remove metadata.namespace from the manifest or set -Dcanary.namespace="
              + named
              + ".");
    }
  }

  /**
   * Rejects a resource whose kind the API server does not serve. fabric8 loads such a document as a
   * GenericKubernetesResource, and applying it fails without an HTTP status, so the discovery
   * endpoint of its apiVersion is asked instead.
   */
  private void requireKnownType(HasMetadata resource, String source) {
    if (!(resource instanceof GenericKubernetesResource)) {
      return;
    }
    String apiVersion = resource.getApiVersion();
    APIResourceList types;
    try {
      types = connection.client().getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw KubeErrors.translate(e, "discover", "types of " + apiVersion, connection.namespace());
      }
      types = null;
    }
    boolean known =
        types != null
            && types.getResources().stream()
                .anyMatch(type -> type.getKind().equals(resource.getKind()));
    if (!known) {
      throw new ManifestException(
          source
              + ": unknown kind "
              + resource.getKind()
              + " in apiVersion "
              + apiVersion
              + " (resource "
              + resource.getMetadata().getName()
              + "): the API server has no such resource type. Fix kind and apiVersion ('kubectl"
              + " api-resources' lists the types), or install the CustomResourceDefinition that"
              + " defines it.");
    }
  }

  private static String describe(HasMetadata resource) {
    return resource.getKind().toLowerCase(Locale.ROOT) + "/" + resource.getMetadata().getName();
  }
}
