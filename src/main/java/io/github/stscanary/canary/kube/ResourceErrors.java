package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Locale;

/** Turns a rejected apply of one manifest resource into a message naming its file and field. */
final class ResourceErrors {

  /** Status code of a request whose object the API server found invalid. */
  private static final int UNPROCESSABLE_ENTITY = 422;

  private ResourceErrors() {}

  static RuntimeException translate(
      KubernetesClientException e, HasMetadata resource, String source, String namespace) {
    String subject = source + ": " + resource.getKind() + " " + resource.getMetadata().getName();
    String reason =
        e.getStatus() == null ? KubeErrors.transportMessage(e) : e.getStatus().getMessage();
    if (e.getCode() == UNPROCESSABLE_ENTITY || e.getCode() == HttpURLConnection.HTTP_BAD_REQUEST) {
      return new ManifestException(
          subject
              + " was rejected by the API server: "
              + reason
              + hint(resource, reason, namespace),
          e);
    }
    return KubeErrors.translate(e, "apply", resource.getPlural(), namespace);
  }

  private static String hint(HasMetadata resource, String reason, String namespace) {
    if (reason.contains("field is immutable") || reason.contains("Forbidden: updates to")) {
      String kind = resource.getKind().toLowerCase(Locale.ROOT);
      return ". Those fields cannot change on an existing "
          + resource.getKind()
          + ": restore them in the manifest, or delete the "
          + resource.getKind()
          + " first ('kubectl delete "
          + kind
          + " "
          + resource.getMetadata().getName()
          + " -n "
          + namespace
          + "') and apply again.";
    }
    return ". Fix the field it names in the manifest and run canary:apply again.";
  }
}
