package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs canary:deploy with real Maven on bad input and checks that each run fails with a message
 * that names the value and the fix, and that no object in the namespace and no registry tag
 * changed.
 */
class ReliabilityDeployInputIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();
  private static final String REPOSITORY = "reliability/web";
  private static final String ZERO_DIGEST = "sha256:" + "0".repeat(64);

  private static ReliabilityNamespace namespace;
  private static String stableImage;

  @BeforeAll
  static void createStatefulSets() {
    namespace = ReliabilityNamespace.create(environment, "rel-deploy");
    stableImage = TestRegistries.pushLocal(environment, REPOSITORY, "v1");
    // The valid image of the cases, so that only the value under test is wrong.
    TestRegistries.pushLocal(environment, REPOSITORY, "v2");
    namespace.createStatefulSet("web", stableImage, List.of("web"));
    namespace.createStatefulSet("multi", stableImage, List.of("web", "sidecar"));
    namespace.createStatefulSet("ondelete", stableImage, List.of("web"), "OnDelete");
  }

  @AfterAll
  static void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  static Stream<Arguments> rejectedRequests() {
    String registry = environment.localRegistry();
    String image = "-Dcanary.image=" + registry + "/" + REPOSITORY + ":v2";
    return Stream.of(
        rejected(
            "negative partition",
            List.of("-Dpartition=-1", image),
            "Invalid partition -1",
            "between 0 and 3",
            "-Dpartition=N"),
        rejected(
            "partition not a number",
            List.of("-Dpartition=three", image),
            "Invalid partition 'three': not a whole number",
            "-Dpartition=3"),
        rejected(
            "partition above replicas",
            List.of("-Dpartition=4", image),
            "Invalid partition 4",
            "spec.replicas of statefulset/web",
            "-Dpartition=N"),
        rejected(
            "conflicting partitions",
            List.of("-Dpartition=1", "-Dcanary.partition=2", image),
            "Conflicting partitions: canary.partition=2 and partition=1",
            "Set only one of -Dcanary.partition and -Dpartition"),
        rejected("partition missing", List.of(image), "No partition set", "-Dpartition=N"),
        rejected(
            "StatefulSet missing",
            List.of("-Dpartition=1", "-Dcanary.statefulSet=absent", image),
            "StatefulSet absent not found in namespace",
            "-Dcanary.statefulSet",
            "mvn canary:apply"),
        rejected(
            "namespace missing",
            List.of("-Dpartition=1", "-Dcanary.namespace=rel-absent-namespace", image),
            "namespaces \"rel-absent-namespace\" not found",
            "-Dcanary.namespace"),
        rejected(
            "container not in template",
            List.of("-Dpartition=1", "-Dcanary.container=nginx", image),
            "Container 'nginx' not found in statefulset/web",
            "its containers are: web",
            "-Dcanary.container"),
        rejected(
            "several containers none named",
            List.of("-Dpartition=1", "-Dcanary.statefulSet=multi", image),
            "StatefulSet multi has 2 containers (web, sidecar)",
            "-Dcanary.container=NAME"),
        rejected(
            "malformed image reference",
            List.of("-Dpartition=1", "-Dcanary.image=" + registry + "/Reliability/Web:v2"),
            "Invalid image reference '" + registry + "/Reliability/Web:v2'",
            "-Dcanary.image"),
        rejected(
            "tag not in registry",
            List.of("-Dpartition=1", "-Dcanary.image=" + registry + "/" + REPOSITORY + ":v9"),
            "Image " + registry + "/" + REPOSITORY + ":v9 not found",
            "has no manifest with tag v9 in repository " + REPOSITORY,
            "-Dcanary.verifyImage=false"),
        rejected(
            "repository not in registry",
            List.of("-Dpartition=1", "-Dcanary.image=" + registry + "/reliability/absent:v1"),
            "has no manifest with tag v1 in repository reliability/absent",
            "mvn canary:build",
            "-Dcanary.verifyImage=false"),
        rejected(
            "digest not in registry",
            List.of(
                "-Dpartition=1",
                "-Dcanary.image=" + registry + "/" + REPOSITORY + "@" + ZERO_DIGEST),
            "has no manifest with digest " + ZERO_DIGEST,
            "-Dcanary.verifyImage=false"),
        rejected(
            "OnDelete update strategy",
            List.of("-Dpartition=1", "-Dcanary.statefulSet=ondelete", image),
            "StatefulSet ondelete uses updateStrategy OnDelete",
            "spec.updateStrategy.type: RollingUpdate"),
        rejected(
            "invalid timeout",
            List.of("-Dpartition=1", "-Dcanary.timeout=soon", image),
            "Invalid duration 'soon' for canary.timeout"),
        rejected(
            "image without tag and no build record",
            List.of("-Dpartition=1", "-Dcanary.image=" + registry + "/" + REPOSITORY),
            "has no tag or digest",
            "-Dcanary.image=" + registry + "/" + REPOSITORY + ":TAG"));
  }

  private static Arguments rejected(String name, List<String> arguments, String... expected) {
    return Arguments.of(name, arguments, List.of(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedRequests")
  void rejectedDeployChangesNothing(String name, List<String> arguments, List<String> expected) {
    Map<String, String> objectsBefore = namespace.resourceVersions();
    List<String> tagsBefore = TestRegistries.localTags(environment, REPOSITORY);
    List<String> command = new ArrayList<>(List.of("canary:deploy"));
    command.addAll(arguments);

    MavenRun.Result result = namespace.project().run(command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    String message = MavenOutput.failure(result.output());
    for (String fragment : expected) {
      assertThat(message).as("failure message").contains(fragment);
    }
    assertThat(namespace.resourceVersions())
        .as("objects in the namespace")
        .isEqualTo(objectsBefore);
    assertThat(TestRegistries.localTags(environment, REPOSITORY))
        .as("tags of " + REPOSITORY)
        .isEqualTo(tagsBefore);
  }

  @Test
  void corruptImageRecordChangesNothing() throws IOException {
    Map<String, String> objectsBefore = namespace.resourceVersions();
    MavenRun maven = namespace.project();
    Path record = maven.directory().resolve("target/canary/image.json");
    Files.createDirectories(record.getParent());
    Files.writeString(record, "{\"image\": ");

    MavenRun.Result result = maven.run("canary:deploy", "-Dpartition=1");

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    String message = MavenOutput.failure(result.output());
    assertThat(message).contains("Invalid image record " + record);
    assertThat(message).contains("mvn canary:build");
    assertThat(namespace.resourceVersions())
        .as("objects in the namespace")
        .isEqualTo(objectsBefore);
  }
}
