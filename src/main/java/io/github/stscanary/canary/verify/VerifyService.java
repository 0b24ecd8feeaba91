package io.github.stscanary.canary.verify;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.rollout.PodState;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RolloutCheck;
import io.github.stscanary.canary.rollout.RolloutProgress;
import io.github.stscanary.canary.rollout.StatefulSetState;
import io.github.stscanary.canary.rollout.StatefulSets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies what a StatefulSet serves: requests the page from each pod once through the API server's
 * pod proxy, then {@code requests} times through the Service, and checks each response against the
 * expectation of the pod's role.
 */
public final class VerifyService {

  private final ClusterConnection connection;
  private final ProgressLog log;

  public VerifyService(ClusterConnection connection, ProgressLog log) {
    this.connection = connection;
    this.log = log;
  }

  /**
   * Checks that the StatefulSet, its Service and the Service's port exist, without sending page
   * requests. Deploy and promote call it before they change anything.
   *
   * @throws io.github.stscanary.canary.rollout.RolloutException when one of them does not exist
   */
  public void requireService(VerifyRequest request) {
    StatefulSet statefulSet = StatefulSets.require(connection, request.statefulSet());
    ServiceTarget.resolve(connection, statefulSet, request);
  }

  /**
   * Runs the verification within {@code request.timeout()} and returns its result.
   *
   * @throws VerifyFailedException when a pod or a response through the Service is not as expected
   * @throws io.github.stscanary.canary.rollout.RolloutException when the StatefulSet, the Service
   *     or its port does not exist
   */
  public VerifyResult verify(VerifyRequest request) throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(request.timeout());
    StatefulSet statefulSet = StatefulSets.require(connection, request.statefulSet());
    List<Pod> pods = new ArrayList<>(StatefulSets.ownedPods(connection, statefulSet));
    pods.sort(Comparator.comparingInt(pod -> ordinal(pod, request.statefulSet())));
    ServiceTarget target = ServiceTarget.resolve(connection, statefulSet, request);
    RolloutProgress progress = snapshot(statefulSet, pods);
    String serviceTarget =
        request.verifyUrl().map(Object::toString).orElse(target.describe() + " (API server proxy)");
    log.info(
        "Verifying statefulset/"
            + request.statefulSet()
            + ": GET "
            + request.path()
            + " on each of "
            + pods.size()
            + " pods through the API server's pod proxy, then "
            + request.requests()
            + " times through "
            + serviceTarget);

    ApiServerProxy proxy = new ApiServerProxy(connection.client());
    Map<String, PageResponse> responses = requestPods(proxy, pods, target, request, deadline);
    Map<String, Expectation> expectations = Expectations.forPods(request, progress, responses);
    List<PodCheck> checks = new ArrayList<>();
    for (PodState pod : progress.pods()) {
      checks.add(
          PodCheck.judge(
              pod,
              PodTable.role(progress, pod),
              responses.get(pod.name()),
              expectations.get(pod.name())));
    }

    String endpointsProblem =
        ServiceEndpoints.await(
            connection, target, readyPodIps(pods, progress), podNames(pods), deadline, log);
    ServiceSample sample = null;
    if (endpointsProblem == null) {
      sample = new ServiceSample(serviceTarget, servedExpectations(checks), request.requests());
      PageClient client = request.verifyUrl().isPresent() ? new UrlClient() : proxy;
      String page =
          request
              .verifyUrl()
              .map(Object::toString)
              .orElse(
                  ApiServerProxy.servicePath(
                      connection.namespace(), target.name(), target.port(), request.path()));
      requestService(client, page, sample, request, deadline);
    }

    VerifyResult result =
        new VerifyResult(
            progress, checks, sample, endpointsProblem, Duration.between(start, Instant.now()));
    for (String line : result.table()) {
      log.debug(line);
    }
    if (!result.passed()) {
      throw new VerifyFailedException(result);
    }
    return result;
  }

  private Map<String, PageResponse> requestPods(
      PageClient proxy,
      List<Pod> pods,
      ServiceTarget target,
      VerifyRequest request,
      Instant deadline)
      throws InterruptedException {
    Map<String, PageResponse> responses = new HashMap<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      int port = target.podPort(pod);
      PageResponse response;
      if (port < 0) {
        response =
            PageResponse.failure(
                "no container port named '"
                    + target.targetPortName()
                    + "', the targetPort of "
                    + target.describe());
      } else {
        String page = ApiServerProxy.podPath(connection.namespace(), name, port, request.path());
        response = send(proxy, page, request, deadline);
      }
      log.debug("GET " + request.path() + " on pod " + name + ": " + describe(response));
      responses.put(name, response);
    }
    return responses;
  }

  private void requestService(
      PageClient client, String page, ServiceSample sample, VerifyRequest request, Instant deadline)
      throws InterruptedException {
    for (int index = 0; index < request.requests(); index++) {
      if (!Instant.now().isBefore(deadline)) {
        return;
      }
      PageResponse response = send(client, page, request, deadline);
      log.debug("GET " + page + ": " + describe(response));
      sample.add(response);
    }
  }

  // Each request gets the shorter of canary.requestTimeout and the time left, so the whole
  // verification ends by its deadline, up to the time one request to the Endpoints takes.
  private static PageResponse send(
      PageClient client, String page, VerifyRequest request, Instant deadline)
      throws InterruptedException {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      return PageResponse.failure("not sent: canary.verifyTimeout passed");
    }
    Duration timeout =
        left.compareTo(request.requestTimeout()) < 0 ? left : request.requestTimeout();
    return client.get(page, timeout);
  }

  private static RolloutProgress snapshot(StatefulSet statefulSet, List<Pod> pods) {
    String name = statefulSet.getMetadata().getName();
    List<PodState> states = new ArrayList<>();
    for (Pod pod : pods) {
      states.add(PodState.of(pod, name, null));
    }
    StatefulSetState state = StatefulSetState.of(statefulSet);
    return RolloutCheck.evaluate(state, states, state.partition(), Map.of());
  }

  // The expectations of the Ready pods, canary first: the versions the Service may return.
  private static List<Expectation> servedExpectations(List<PodCheck> checks) {
    Map<String, Expectation> served = new LinkedHashMap<>();
    for (String name : List.of(Expectation.CANARY, Expectation.STABLE)) {
      for (PodCheck check : checks) {
        if (check.pod().ready()
            && check.expected() != null
            && name.equals(check.expected().name())) {
          served.putIfAbsent(name, check.expected());
        }
      }
    }
    return new ArrayList<>(served.values());
  }

  private static Map<String, String> readyPodIps(List<Pod> pods, RolloutProgress progress) {
    Map<String, String> ready = new HashMap<>();
    for (PodState state : progress.pods()) {
      if (!state.ready()) {
        continue;
      }
      for (Pod pod : pods) {
        if (pod.getMetadata().getName().equals(state.name()) && pod.getStatus() != null) {
          ready.put(state.name(), pod.getStatus().getPodIP());
        }
      }
    }
    return ready;
  }

  private static Set<String> podNames(List<Pod> pods) {
    Set<String> names = new LinkedHashSet<>();
    for (Pod pod : pods) {
      names.add(pod.getMetadata().getName());
    }
    return names;
  }

  private static int ordinal(Pod pod, String statefulSet) {
    return PodState.ordinalOf(pod.getMetadata().getName(), statefulSet);
  }

  private static String describe(PageResponse response) {
    return response.error() != null
        ? response.error()
        : "HTTP " + response.status() + " '" + response.excerpt() + "'";
  }
}
