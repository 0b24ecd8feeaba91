package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.Durations;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.verify.VerifyFailedException;
import io.github.stscanary.canary.verify.VerifyRequest;
import io.github.stscanary.canary.verify.VerifyResult;
import io.github.stscanary.canary.verify.VerifyService;
import java.time.Instant;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Parameters of the page check that {@code canary:verify} runs, and that {@code canary:deploy} and
 * {@code canary:promote} run with {@code -Dcanary.verify=true}.
 */
abstract class AbstractVerifyingMojo extends AbstractClusterMojo {

  /**
   * Service whose traffic is checked. When unset, the StatefulSet's {@code spec.serviceName}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.serviceName")
  String serviceName;

  /**
   * Port of the Service, as a number or a port name. When unset, the Service's first port. The pods
   * are requested on the container port that its {@code targetPort} selects.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.servicePort")
  String servicePort;

  /**
   * Path requested from each pod and through the Service, starting with {@code /}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verifyPath", defaultValue = "/version.html")
  String verifyPath;

  /**
   * Number of requests through the Service. When canary and stable pods are both Ready, both
   * versions must be seen at least once. With 50 requests and 1 canary pod of 5, the chance that
   * random balancing never picks the canary is 0.8^50, about 1 in 70,000.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verifyRequests", defaultValue = "50")
  int verifyRequests;

  /**
   * URL requested in place of the API server's service proxy, for example a NodePort ({@code
   * http://127.0.0.1:30080/version.html}) or an ingress. Each request opens a new connection, so
   * that kube-proxy balances each one. When unset, the requests go to {@code
   * /api/v1/namespaces/NAMESPACE/services/NAME:PORT/proxy/PATH} on the API server, which picks a
   * Ready pod at random for each.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verifyUrl")
  String verifyUrl;

  /**
   * Java regular expression that the body of each canary pod must contain, for example {@code This
   * is V2}. When unset, any response with a 2xx status passes.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.expectCanary")
  String expectCanary;

  /**
   * Java regular expression that the body of each stable pod must contain, for example {@code This
   * is V1}. When unset, any response with a 2xx status passes.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.expectStable")
  String expectStable;

  /**
   * Limit of the whole check, in the forms of {@code timeout}: the pod requests, the wait until the
   * Service's endpoints list the Ready pods, and the requests through the Service. Each request is
   * limited by {@code requestTimeout} too.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.verifyTimeout", defaultValue = "2m")
  String verifyTimeout;

  /** Returns whether this run of the goal runs the check. */
  boolean verifies() {
    return true;
  }

  @Override
  void validateParameters() throws MojoFailureException {
    super.validateParameters();
    if (verifies()) {
      verifyRequest();
    }
  }

  /** Builds the check's request from the parameters, rejecting invalid values. */
  VerifyRequest verifyRequest() {
    return new VerifyRequest(
        statefulSet,
        serviceName,
        servicePort,
        verifyPath,
        verifyRequests,
        VerifyRequest.parseUrl(verifyUrl),
        VerifyRequest.parsePattern(expectCanary, "canary.expectCanary"),
        VerifyRequest.parsePattern(expectStable, "canary.expectStable"),
        false,
        Durations.parse(requestTimeout, "canary.requestTimeout"),
        Durations.parse(verifyTimeout, "canary.verifyTimeout"));
  }

  /**
   * Builds the check that runs after a rollout, and checks that its Service and port exist, so that
   * a wrong {@code serviceName} or {@code servicePort} fails the goal before anything changes.
   */
  VerifyRequest verifyAfterRollout(ClusterConnection connection, ProgressLog log) {
    VerifyRequest request = verifyRequest().afterRollout();
    new VerifyService(connection, log).requireService(request);
    return request;
  }

  /**
   * Runs the check, adds it to the report as a step, and logs its outcome.
   *
   * @throws VerifyFailedException when a pod or a response through the Service is not as expected
   */
  VerifyResult verifyPages(
      ClusterConnection connection, ProgressLog log, RunReport report, VerifyRequest request)
      throws InterruptedException {
    Instant start = report.now();
    VerifyResult result;
    try {
      result = new VerifyService(connection, log).verify(request);
    } catch (VerifyFailedException e) {
      report.addStep("verify: " + e.result().share() + " (failed)", start);
      throw e;
    }
    report.addStep("verify: " + result.share(), start, result.progress());
    getLog().info(result.summary());
    return result;
  }
}
