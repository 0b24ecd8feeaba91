package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;

/**
 * Requests on one named Lease in one namespace. Conflicts are returned as {@code null} or {@code
 * false}, so that callers can read the lease again. Other errors are thrown as {@link
 * ClusterAccessException}.
 */
final class LeaseClient {

  private static final String RESOURCE = "leases";
  private static final String NAME_SUFFIX = "-canary-lock";
  private static final int MAX_NAME_LENGTH = 253;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  LeaseClient(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  /**
   * Returns {@code <statefulSet>-canary-lock}, or for names too long for that, a prefix of the
   * StatefulSet name with a hash of the whole name, so that the lease name stays unique within the
   * 253 characters Kubernetes allows.
   */
  static String leaseName(String statefulSet) {
    if (statefulSet.length() + NAME_SUFFIX.length() <= MAX_NAME_LENGTH) {
      return statefulSet + NAME_SUFFIX;
    }
    String hash = sha256Hex(statefulSet).substring(0, 8);
    int prefixLength = MAX_NAME_LENGTH - NAME_SUFFIX.length() - hash.length() - 1;
    String prefix = statefulSet.substring(0, prefixLength).replaceAll("[.-]+$", "");
    return prefix + "-" + hash + NAME_SUFFIX;
  }

  /**
   * Returns when {@code lease} expires: its renew time (else its acquire time) plus its duration,
   * with {@code defaultSeconds} when it has none. A lease with neither time has expired.
   */
  static Instant expiry(Lease lease, long defaultSeconds) {
    LeaseSpec spec = lease.getSpec();
    if (spec == null) {
      return Instant.EPOCH;
    }
    ZonedDateTime renewed =
        spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
    if (renewed == null) {
      return Instant.EPOCH;
    }
    Integer seconds = spec.getLeaseDurationSeconds();
    return renewed.toInstant().plusSeconds(seconds == null ? defaultSeconds : seconds);
  }

  static ZonedDateTime utc(Instant instant) {
    return ZonedDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  /** Returns the lease, or {@code null} when it does not exist. */
  Lease get() {
    try {
      return resource().get();
    } catch (KubernetesClientException e) {
      throw KubeErrors.translate(e, "get", RESOURCE, namespace);
    }
  }

  /** Creates the lease, or returns {@code null} when one with its name exists already. */
  Lease create(Lease lease) {
    try {
      return client.leases().inNamespace(namespace).resource(lease).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return null;
      }
      throw KubeErrors.translate(e, "create", RESOURCE, namespace);
    }
  }

  /**
   * Replaces the lease if its resourceVersion still matches, or returns {@code null} when the lease
   * changed or was deleted since that version was read.
   */
  Lease update(Lease lease) {
    try {
      return client.leases().inNamespace(namespace).resource(lease).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT
          || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return null;
      }
      throw KubeErrors.translate(e, "update", RESOURCE, namespace);
    }
  }

  /**
   * Deletes the lease with {@code resourceVersion} as precondition, returning false when the lease
   * changed since that version was read. A lease that is already gone counts as deleted.
   */
  boolean delete(String resourceVersion) {
    try {
      resource().lockResourceVersion(resourceVersion).delete();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw KubeErrors.translate(e, "delete", RESOURCE, namespace);
    }
  }

  /** Returns the client's request timeout, or fabric8's default of 10 s when it has none. */
  long requestTimeoutMillis() {
    int timeout = client.getConfiguration().getRequestTimeout();
    return timeout > 0 ? timeout : 10_000;
  }

  private Resource<Lease> resource() {
    return client.leases().inNamespace(namespace).withName(name);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
