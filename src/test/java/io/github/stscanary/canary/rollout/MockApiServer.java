package io.github.stscanary.canary.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.ConnectionSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fabric8 mock API server in CRUD mode on 127.0.0.1, with a kubeconfig that points at it, for
 * unit tests of single requests. It stores what it is sent and runs no controller, so pods never
 * change by themselves.
 */
final class MockApiServer implements AutoCloseable {

  static final String NAMESPACE = "shop";

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Path kubeconfig;

  private MockApiServer(KubernetesMockServer server, Path kubeconfig) {
    this.server = server;
    this.client = server.createClient();
    this.kubeconfig = kubeconfig;
  }

  /** Starts the server and writes its kubeconfig into {@code folder}. */
  static MockApiServer start(Path folder) throws IOException {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    Path kubeconfig = folder.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster:",
            "    server: http://127.0.0.1:" + server.getPort(),
            "contexts:",
            "- name: mock",
            "  context:",
            "    cluster: mock",
            "    namespace: " + NAMESPACE,
            "    user: tester",
            "current-context: mock",
            "users:",
            "- name: tester",
            "  user:",
            "    token: mock-token",
            ""));
    return new MockApiServer(server, kubeconfig);
  }

  /** Opens a connection as the plugin's goals do, through the kubeconfig file. */
  ClusterConnection connect() {
    return ClusterConnection.open(
        new ConnectionSettings(kubeconfig, null, NAMESPACE, Duration.ofSeconds(10)));
  }

  /** Returns a client for setting up and inspecting objects, outside the code under test. */
  KubernetesClient client() {
    return client;
  }

  /**
   * Creates the StatefulSet and pods of {@code rollout}, with the pods' owner reference set to the
   * uid that the server gave the StatefulSet, and returns the stored StatefulSet.
   */
  StatefulSet create(RecordedRollout rollout) {
    StatefulSet created =
        client
            .apps()
            .statefulSets()
            .inNamespace(NAMESPACE)
            .resource(
                new StatefulSetBuilder(rollout.statefulSet())
                    .withMetadata(forCreate(rollout.statefulSet().getMetadata()))
                    .build())
            .create();
    for (Pod pod : rollout.pods()) {
      createPod(ownedBy(pod, created));
    }
    return created;
  }

  Pod createPod(Pod pod) {
    Pod withoutVersion = new PodBuilder(pod).withMetadata(forCreate(pod.getMetadata())).build();
    return client.pods().inNamespace(NAMESPACE).resource(withoutVersion).create();
  }

  StatefulSet statefulSet(String name) {
    return client.apps().statefulSets().inNamespace(NAMESPACE).withName(name).get();
  }

  /** Returns {@code METHOD path} of each request received since the last call. */
  List<String> takeRequests() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request.getMethod() + " " + request.getPath());
    }
    return requests;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  // The API server rejects a create that carries a resourceVersion, and the uid is its to set.
  private static ObjectMeta forCreate(ObjectMeta metadata) {
    ObjectMeta copy = new ObjectMetaBuilder(metadata).build();
    copy.setResourceVersion(null);
    copy.setUid(null);
    return copy;
  }

  private static Pod ownedBy(Pod pod, HasMetadata owner) {
    List<OwnerReference> owners = new ArrayList<>();
    for (OwnerReference reference : pod.getMetadata().getOwnerReferences()) {
      owners.add(
          new OwnerReferenceBuilder(reference).withUid(owner.getMetadata().getUid()).build());
    }
    return new PodBuilder(pod).editMetadata().withOwnerReferences(owners).endMetadata().build();
  }
}
