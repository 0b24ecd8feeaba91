package io.github.stscanary.canary.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The local registries and control plane as described by the environment file that {@code
 * src/test/cluster/start} writes, one {@code KEY=value} line each.
 */
public final class ClusterEnvironment {

  private final Properties values;

  private ClusterEnvironment(Properties values) {
    this.values = values;
  }

  /**
   * Loads the file named by the {@code cluster.env} system property, or {@code target/cluster/env}
   * when it is unset.
   */
  public static ClusterEnvironment load() {
    Path file = Path.of(System.getProperty("cluster.env", "target/cluster/env"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "Cluster environment file not found: "
              + file.toAbsolutePath()
              + ". Start it with: bash src/test/cluster/start target/cluster");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalStateException("Failed to read " + file, e);
    }
    return new ClusterEnvironment(properties);
  }

  /** Returns the value of {@code key}, failing when the file has no such line. */
  public String get(String key) {
    String value = values.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Cluster environment has no value for " + key);
    }
    return value;
  }

  /** Returns the value of {@code key}, or empty when the file has no such line. */
  public Optional<String> find(String key) {
    return Optional.ofNullable(values.getProperty(key)).filter(value -> !value.isBlank());
  }

  public Path adminKubeconfig() {
    return Path.of(get("KUBECONFIG_ADMIN"));
  }

  public Path restrictedKubeconfig() {
    return Path.of(get("KUBECONFIG_RESTRICTED"));
  }

  public String restrictedNamespace() {
    return get("RESTRICTED_NAMESPACE");
  }

  /** Host and port of the plain-HTTP registry without authentication. */
  public String localRegistry() {
    return get("LOCAL_REGISTRY");
  }

  /** Host and port of the TLS registry with basic authentication. */
  public String privateRegistry() {
    return get("PRIVATE_REGISTRY");
  }

  public Path privateRegistryCa() {
    return Path.of(get("PRIVATE_REGISTRY_CA"));
  }

  public String privateRegistryUsername() {
    return get("PRIVATE_REGISTRY_USERNAME");
  }

  public String privateRegistryPassword() {
    return get("PRIVATE_REGISTRY_PASSWORD");
  }

  /** Path of the kubectl built with the control plane. */
  public Path kubectl() {
    return Path.of(get("KUBECTL"));
  }
}
