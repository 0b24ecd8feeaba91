package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.net.HttpURLConnection;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** An open client for one API server, context and namespace. Close it to free its threads. */
public final class ClusterConnection implements AutoCloseable {

  private static final String DEFAULT_NAMESPACE = "default";

  private final KubernetesClient client;
  private final Config config;
  private final String apiServer;
  private final String context;
  private final String namespace;
  private final Duration requestTimeout;

  private ClusterConnection(
      KubernetesClient client, Config config, String context, Duration requestTimeout) {
    this.client = client;
    this.config = config;
    this.apiServer = config.getMasterUrl();
    this.context = context;
    this.namespace = config.getNamespace();
    this.requestTimeout = requestTimeout;
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
    // Over plain HTTP the JDK client offers an h2c upgrade, which 'kubectl proxy' (v1.36.3) passes
    // on as a protocol upgrade and answers with HTTP 500 "invalid upgrade response".
    if (config.getMasterUrl() != null && config.getMasterUrl().startsWith("http://")) {
      config.setHttp2Disable(true);
    }

    NamedContext current = config.getCurrentContext();
    String context = current == null ? "(none: in-cluster or defaults)" : current.getName();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    return new ClusterConnection(client, config, context, settings.requestTimeout());
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

  /**
   * Sends one {@code GET /version} without retries, so that an unreachable or untrusted API server,
   * or credentials it rejects, fail after at most one request timeout. fabric8 kubernetes-client
   * 8.0.0 retries every other failed request 10 times with backoff, so without this check an API
   * server that accepts connections but never responds would fail the goal after eleven request
   * timeouts. Other HTTP errors, such as a cluster that hides /version, are left to the requests
   * that follow.
   *
   * @throws ClusterAccessException naming the API server, the cause and the fix
   */
  public void requireReachable() {
    // HTTP/1.1, because over HTTP/2 kube-apiserver v1.36.3 closes the connection with GOAWAY after
    // rejecting credentials, and the JDK 17 HTTP client then reports "GOAWAY received", not 401.
    Config probeConfig =
        new ConfigBuilder(config).withRequestRetryBackoffLimit(0).withHttp2Disable(true).build();
    try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(probeConfig).build()) {
      probe.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
        throw new ClusterAccessException(
            "API server "
                + apiServer
                + " rejected the credentials of "
                + contextSource()
                + " (HTTP 401 Unauthorized): the kubeconfig's token or client certificate is"
                + " invalid or expired. Renew them (for a ServiceAccount token: 'kubectl create"
                + " token NAME -n NAMESPACE') or choose other ones with -Dcanary.kubeconfig and"
                + " -Dcanary.context.",
            e);
      }
      if (e.getCode() <= 0) {
        throw unreachable(e);
      }
    }
  }

  private ClusterAccessException unreachable(KubernetesClientException e) {
    String detail = KubeErrors.transportMessage(e);
    if (KubeErrors.hasCause(e, HttpTimeoutException.class)) {
      return new ClusterAccessException(
          "Request to API server "
              + apiServer
              + " timed out after "
              + requestTimeout.toSeconds()
              + " s ("
              + detail
              + "). Check that the cluster is running and that "
              + contextSource()
              + " names it (-Dcanary.kubeconfig, -Dcanary.context), or raise"
              + " -Dcanary.requestTimeout.",
          e);
    }
    if (isUntrustedCertificate(e)) {
      return new ClusterAccessException(
          "The TLS certificate of API server "
              + apiServer
              + " is not trusted ("
              + detail
              + "). Set certificate-authority-data (or certificate-authority) of the cluster of "
              + contextSource()
              + " to the CA that signed it. 'kubectl config view --minify' shows that cluster"
              + " entry.",
          e);
    }
    return new ClusterAccessException(
        "API server "
            + apiServer
            + " is unreachable ("
            + detail
            + "). Check that the cluster is running and that "
            + contextSource()
            + " names it (-Dcanary.kubeconfig, -Dcanary.context).",
        e);
  }

  /** Returns "context NAME in kubeconfig FILE", or only the first part when no file was read. */
  private String contextSource() {
    File file = config.getFile();
    return "context " + context + (file == null ? "" : " in kubeconfig " + file);
  }

  private static boolean isUntrustedCertificate(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertPathBuilderException
          || cause instanceof CertificateException
          || (cause instanceof SSLException
              && String.valueOf(cause.getMessage()).contains("PKIX"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns one warning for each way the kubeconfig weakens the connection to the API server: plain
   * HTTP, no certificate verification, or no host name verification. Empty for a verified HTTPS
   * connection.
   */
  public List<String> insecureSettings() {
    List<String> warnings = new ArrayList<>();
    if (apiServer != null && apiServer.startsWith("http://")) {
      warnings.add(
          "API server "
              + apiServer
              + " is reached over plain HTTP: requests and credentials are not encrypted. Use"
              + " its https:// URL in the kubeconfig.");
    }
    if (config.isTrustCerts()) {
      warnings.add(
          "The kubeconfig turns off TLS certificate verification for API server "
              + apiServer
              + " (insecure-skip-tls-verify: true in context "
              + context
              + "). Set certificate-authority-data of the cluster instead.");
    }
    if (config.isDisableHostnameVerification() && !config.isTrustCerts()) {
      warnings.add(
          "Host name verification is off for API server "
              + apiServer
              + " (kubernetes.disable.hostname.verification). Remove that setting.");
    }
    return warnings;
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
