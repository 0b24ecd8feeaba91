package io.github.stscanary.canary.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens connections from kubeconfig files that point at https://127.0.0.1:1 and :2, where nothing
 * listens. {@link ClusterConnection#open} sends no request, so that does not matter.
 */
class ClusterConnectionTest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(7);

  @TempDir Path folder;

  private Path kubeconfig;

  @BeforeEach
  void writeKubeconfig() throws IOException {
    kubeconfig = folder.resolve("config");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: dev",
            "  cluster:",
            "    server: https://127.0.0.1:1",
            "    insecure-skip-tls-verify: true",
            "- name: staging",
            "  cluster:",
            "    server: https://127.0.0.1:2",
            "    insecure-skip-tls-verify: true",
            "contexts:",
            "- name: dev",
            "  context:",
            "    cluster: dev",
            "    namespace: shop-dev",
            "    user: developer",
            "- name: staging",
            "  context:",
            "    cluster: staging",
            "    user: developer",
            "current-context: dev",
            "users:",
            "- name: developer",
            "  user:",
            "    token: not-a-real-token",
            ""));
  }

  @Test
  void openUsesCurrentContext() {
    try (ClusterConnection connection = open(kubeconfig, null, null)) {
      assertThat(connection.context()).isEqualTo("dev");
      assertThat(connection.apiServer()).startsWith("https://127.0.0.1:1");
      assertThat(connection.namespace()).isEqualTo("shop-dev");
    }
  }

  @Test
  void openUsesNamedContext() {
    try (ClusterConnection connection = open(kubeconfig, "staging", null)) {
      assertThat(connection.context()).isEqualTo("staging");
      assertThat(connection.apiServer()).startsWith("https://127.0.0.1:2");
    }
  }

  @Test
  void contextWithoutNamespaceUsesDefault() {
    try (ClusterConnection connection = open(kubeconfig, "staging", null)) {
      assertThat(connection.namespace()).isEqualTo("default");
    }
  }

  @Test
  void namespaceOverridesContext() {
    try (ClusterConnection connection = open(kubeconfig, "dev", "shop-canary")) {
      assertThat(connection.namespace()).isEqualTo("shop-canary");
      assertThat(connection.client().getNamespace()).isEqualTo("shop-canary");
    }
  }

  @Test
  void blankContextAndNamespaceIgnored() {
    try (ClusterConnection connection = open(kubeconfig, " ", " ")) {
      assertThat(connection.context()).isEqualTo("dev");
      assertThat(connection.namespace()).isEqualTo("shop-dev");
    }
  }

  @Test
  void requestTimeoutAppliesToClient() {
    try (ClusterConnection connection = open(kubeconfig, null, null)) {
      assertThat(connection.client().getConfiguration().getRequestTimeout()).isEqualTo(7000);
      assertThat(connection.client().getConfiguration().getConnectionTimeout()).isEqualTo(7000);
    }
  }

  @Test
  void describeNamesServerContextNamespace() {
    try (ClusterConnection connection = open(kubeconfig, null, null)) {
      assertThat(connection.describe())
          .isEqualTo("API server " + connection.apiServer() + ", context dev, namespace shop-dev");
    }
  }

  @Test
  void missingKubeconfigRejected() {
    Path missing = folder.resolve("missing-config");

    assertThatThrownBy(() -> open(missing, null, null))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kubeconfig file not found: "
                + missing
                + ". Set <kubeconfig> or -Dcanary.kubeconfig to an existing file, or leave it"
                + " unset to use KUBECONFIG or ~/.kube/config.");
  }

  @Test
  void kubeconfigFolderRejected() {
    assertThatThrownBy(() -> open(folder, null, null))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessageStartingWith("Kubeconfig file not found: " + folder + ".");
  }

  @Test
  void unknownContextRejected() {
    assertThatThrownBy(() -> open(kubeconfig, "prod", null))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kubeconfig context 'prod' not found in "
                + kubeconfig
                + ". Run 'kubectl config get-contexts' to list them, then set <context> or"
                + " -Dcanary.context.");
  }

  private static ClusterConnection open(Path file, String context, String namespace) {
    return ClusterConnection.open(
        new ConnectionSettings(file, context, namespace, REQUEST_TIMEOUT));
  }
}
