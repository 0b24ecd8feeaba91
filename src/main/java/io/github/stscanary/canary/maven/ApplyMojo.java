package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.kube.ClusterConnection;
import io.github.stscanary.canary.kube.ResourceApplier;
import io.github.stscanary.canary.report.RunReport;
import io.github.stscanary.canary.rollout.ApplyRequest;
import io.github.stscanary.canary.rollout.ApplyService;
import io.github.stscanary.canary.rollout.GeneratedResources;
import io.github.stscanary.canary.rollout.PodTable;
import io.github.stscanary.canary.rollout.RolloutProgress;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Creates the namespace if missing and applies the StatefulSet and Service with server-side apply,
 * from YAML manifests or, when there are none, from this goal's parameters. Then waits until every
 * replica is Ready on the revision that the StatefulSet's partition selects.
 */
@Mojo(name = "apply", threadSafe = true, requiresProject = false)
public class ApplyMojo extends AbstractClusterMojo {

  /**
   * Folder of manifests: every {@code .yaml} and {@code .yml} file, in name order. {@code ${name}}
   * placeholders are filled from project properties, user properties ({@code -Dname=value}), {@code
   * project.version}, {@code project.artifactId}, {@code project.groupId} and {@code canary.image}.
   * When the folder has no manifests, a StatefulSet and a Service are generated.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.manifests", defaultValue = "${project.basedir}/src/main/k8s")
  File manifests;

  /**
   * Image for the generated StatefulSet and for the {@code ${canary.image}} placeholder. When
   * unset, the image that {@code canary:build} recorded in {@code imageRecord}. {@code
   * -Dcanary.image} on the command line takes precedence over {@code <image>} in the POM.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.image")
  String image;

  /**
   * File where {@code canary:build} records the image it pushed.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "canary.imageRecord",
      defaultValue = "${project.build.directory}/canary/image.json")
  File imageRecord;

  /**
   * Replicas of the generated StatefulSet.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.replicas", defaultValue = "3")
  int replicas;

  /**
   * Container name in the generated StatefulSet.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.containerName", defaultValue = "app")
  String containerName;

  /**
   * Container port of the generated StatefulSet, named {@code web}; the generated Service exposes
   * the same port.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.containerPort", defaultValue = "80")
  int containerPort;

  /**
   * Name of the generated Service, also the StatefulSet's {@code serviceName}. Defaults to the
   * StatefulSet's name.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.serviceName")
  String serviceName;

  /**
   * Type of the generated Service: {@code ClusterIP}, {@code NodePort} or {@code LoadBalancer}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.serviceType", defaultValue = "ClusterIP")
  String serviceType;

  /**
   * Node port of a generated NodePort Service; the cluster picks one when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.nodePort")
  Integer nodePort;

  /**
   * Pod labels of the generated StatefulSet, also its selector and the Service's. Defaults to
   * {@code app: <statefulSet>}.
   *
   * @since 0.1.0
   */
  @Parameter Map<String, String> labels;

  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Override
  String goal() {
    return "apply";
  }

  @Override
  void prepare(ClusterConnection connection, ProgressLog log) {
    new ResourceApplier(connection, log).ensureNamespace(connection.namespace());
  }

  @Override
  void run(ClusterConnection connection, ProgressLog log, RunReport report)
      throws IOException, InterruptedException {
    Instant start = report.now();
    String resolvedImage = resolveImage();
    Map<String, String> podLabels =
        labels == null || labels.isEmpty() ? Map.of("app", statefulSet) : Map.copyOf(labels);
    GeneratedResources generated =
        new GeneratedResources(
            statefulSet,
            serviceName == null || serviceName.isBlank() ? statefulSet : serviceName,
            resolvedImage,
            containerName,
            containerPort,
            replicas,
            serviceType,
            nodePort,
            podLabels);
    ApplyRequest request =
        new ApplyRequest(
            manifests.toPath(), placeholders(resolvedImage), generated, rolloutTimeout());

    List<RolloutProgress> rollouts = new ApplyService(connection, log).apply(request);
    if (resolvedImage != null) {
      report.addImage(resolvedImage);
    }
    for (RolloutProgress rollout : rollouts) {
      report.addStep("apply statefulset/" + rollout.statefulSet().name(), start, rollout);
      for (String line : PodTable.format(rollout, Instant.now())) {
        getLog().info(line);
      }
      getLog()
          .info(
              "statefulset/"
                  + rollout.statefulSet().name()
                  + ": "
                  + rollout.statefulSet().replicas()
                  + " replicas Ready on revision "
                  + rollout.statefulSet().updateRevision());
    }
  }

  private String resolveImage() throws IOException {
    return DeployImages.resolve(DeployImages.requested(image, session), imageRecord, getLog())
        .orElse(null);
  }

  private Map<String, String> placeholders(String resolvedImage) {
    Map<String, String> values = new HashMap<>();
    if (project != null) {
      project.getProperties().forEach((key, value) -> values.put(key.toString(), value.toString()));
      values.put("project.version", project.getVersion());
      values.put("project.artifactId", project.getArtifactId());
      values.put("project.groupId", project.getGroupId());
    }
    if (session != null) {
      session
          .getUserProperties()
          .forEach((key, value) -> values.put(key.toString(), value.toString()));
    }
    if (resolvedImage != null) {
      values.put("canary.image", resolvedImage);
    }
    return values;
  }
}
