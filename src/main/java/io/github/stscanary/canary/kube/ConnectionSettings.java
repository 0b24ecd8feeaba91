package io.github.stscanary.canary.kube;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where to find the cluster: an explicit kubeconfig file, or the one kubectl would use ({@code
 * KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account), with an optional context and
 * namespace that override the kubeconfig's current ones.
 *
 * @param kubeconfig kubeconfig file, or {@code null} to search as kubectl does
 * @param context context name, or {@code null} for the current context
 * @param namespace namespace, or {@code null} for the context's namespace (else {@code default})
 * @param requestTimeout timeout of one API request, also used to connect
 */
public record ConnectionSettings(
    Path kubeconfig, String context, String namespace, Duration requestTimeout) {

  public Optional<Path> kubeconfigFile() {
    return Optional.ofNullable(kubeconfig);
  }

  public Optional<String> contextName() {
    return Optional.ofNullable(context).filter(name -> !name.isBlank());
  }

  public Optional<String> namespaceName() {
    return Optional.ofNullable(namespace).filter(name -> !name.isBlank());
  }
}
