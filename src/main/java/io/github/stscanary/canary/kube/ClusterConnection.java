package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/** An open client for one API server, context and namespace. Close it to free its threads. */
public final class ClusterConnection implements AutoCloseable {

  private static final String DEFAULT_NAMESPACE = "default";

  private final KubernetesClient client;
  private final String apiServer;
  private final String context;
  private final String namespace;

  private ClusterConnection(
      KubernetesClient client, String apiServer, String context, String namespace) {
    this.client = client;
    this.apiServer = apiServer;
    this.context = context;
    this.namespace = namespace;
  }

  /**
   * Opens a client as kubectl would find the cluster, with the overrides in {@code settings}. No
   * request is sent yet.
   *
   * @throws ClusterAccessException when the kubeconfig file or the context does not exist
   */
  public static ClusterConnection open(ConnectionSettings settings) {
    Config config = loadConfig(settings);
    int timeoutMillis = Math.toIntExact(settings.requestTimeout().toMillis());
    config.setConnectionTimeout(timeoutMillis);
    config.setRequestTimeout(timeoutMillis);

    String namespace =
        settings
            .namespaceName()
            .orElse(config.getNamespace() == null ? DEFAULT_NAMESPACE : config.getNamespace());
    config.setNamespace(namespace);

    NamedContext current = config.getCurrentContext();
    String context = current == null ? "(none: in-cluster or defaults)" : current.getName();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    return new ClusterConnection(client, config.getMasterUrl(), context, namespace);
  }

  private static Config loadConfig(ConnectionSettings settings) {
    String context = settings.contextName().orElse(null);
    if (settings.kubeconfigFile().isPresent()) {
      Path file = settings.kubeconfigFile().get();
      if (!Files.isRegularFile(file)) {
        throw new ClusterAccessException(
            "Kubeconfig file not found: "
                + file
                + ". Set <kubeconfig> or -Dcanary.kubeconfig to an existing file, or leave it"
                + " unset to use KUBECONFIG or ~/.kube/config.");
      }
      Config config = Config.fromKubeconfig(context, file.toFile());
      requireContext(config, context, file.toString());
      return config;
    }
    Config config = Config.autoConfigure(context);
    requireContext(config, context, "KUBECONFIG or ~/.kube/config");
    return config;
  }

  // fabric8 falls back to the current context when the named one is missing; kubectl fails.
  private static void requireContext(Config config, String context, String source) {
    if (context == null) {
      return;
    }
    boolean found =
        config.getContexts().stream().anyMatch(named -> context.equals(named.getName()));
    if (!found) {
      throw new ClusterAccessException(
          "Kubeconfig context '"
              + context
              + "' not found in "
              + source
              + ". Run 'kubectl config get-contexts' to list them, then set <context> or"
              + " -Dcanary.context.");
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** URL of the API server, as the kubeconfig names it. */
  public String apiServer() {
    return apiServer;
  }

  public String context() {
    return context;
  }

  public String namespace() {
    return namespace;
  }

  /** Returns a line for the build log naming the API server, context and namespace. */
  public String describe() {
    return "API server " + apiServer + ", context " + context + ", namespace " + namespace;
  }

  @Override
  public void close() {
    client.close();
  }
}
