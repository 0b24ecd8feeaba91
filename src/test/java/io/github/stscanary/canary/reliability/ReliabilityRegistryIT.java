package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs canary:build and canary:deploy's image check with real Maven against registries that reject
 * the credentials, present a certificate from an unknown CA, are down, or cannot be reached in
 * offline mode. Each run must fail with a message that names the registry and the fix, push no tag
 * and change no object.
 */
class ReliabilityRegistryIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();
  private static final Duration MAX_FAILURE_TIME = Duration.ofSeconds(40);

  private static ReliabilityNamespace namespace;
  private static String stableImage;
  private static String privateImage;

  @TempDir Path directory;

  @BeforeAll
  static void pushImages() {
    namespace = ReliabilityNamespace.create(environment, "rel-registry");
    stableImage = TestRegistries.pushLocal(environment, "reliability/web", "v1");
    TestRegistries.pushLocal(environment, "reliability/web", "v2");
    namespace.createStatefulSet(ReliabilityNamespace.WEB, stableImage, List.of("web"));
    privateImage = environment.privateRegistry() + "/reliability/web:v1";
  }

  @AfterAll
  static void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void buildWithWrongPasswordPushesNothing() {
    String repository = uniqueRepository();

    String message =
        rejectedBuild(
            repository,
            true,
            "-Dcanary.registry=" + environment.privateRegistry(),
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa(),
            "-Dcanary.username=" + environment.privateRegistryUsername(),
            "-Dcanary.password=wrong-password");

    assertThat(message)
        .contains(
            "Registry "
                + environment.privateRegistry()
                + " rejected the credentials of user "
                + environment.privateRegistryUsername());
    assertThat(message).contains("<server> with <id>" + environment.privateRegistry() + "</id>");
  }

  @Test
  void buildWithUnknownCaPushesNothing() {
    String repository = uniqueRepository();

    String message =
        rejectedBuild(
            repository,
            true,
            "-Dcanary.registry=" + environment.privateRegistry(),
            "-Dregistry.insecure=false",
            "-Dcanary.username=" + environment.privateRegistryUsername(),
            "-Dcanary.password=" + environment.privateRegistryPassword());

    assertThat(message)
        .contains("The TLS certificate of registry " + environment.privateRegistry());
    assertThat(message).contains("<caFile> (-Dcanary.caFile)");
    assertThat(message).contains("-Dcanary.allowInsecureRegistries=true");
  }

  @Test
  void buildToClosedPortFailsFast() {
    String registry = "127.0.0.1:" + Kubeconfigs.closedPort();

    Instant start = Instant.now();
    String message =
        rejectedBuild(
            uniqueRepository(),
            false,
            "-Dcanary.registry=" + registry,
            "-Dregistry.insecure=false");

    assertThat(Duration.between(start, Instant.now())).isLessThan(MAX_FAILURE_TIME);
    assertThat(message).contains("Registry " + registry + " is unreachable");
    assertThat(message).contains("Check that it is running");
  }

  @Test
  void buildOfflinePushesNothing() {
    String repository = uniqueRepository();

    String message = rejectedBuild(repository, false, "-o");

    assertThat(message).contains("in offline mode");
    assertThat(message).contains("Run Maven without -o (--offline)");
    assertThat(TestRegistries.localTags(environment, repository)).as("tags").isEmpty();
  }

  @Test
  void insecureBuildWarnsOnEveryRun() {
    MavenRun maven = namespace.project();
    String repository = uniqueRepository();

    for (int run = 1; run <= 2; run++) {
      MavenRun.Result result = maven.run("canary:build", "-Drepository=" + repository);

      assertThat(result.succeeded()).as(result.output()).isTrue();
      assertThat(MavenOutput.warnings(result.output(), "allowInsecureRegistries is true"))
          .as("warnings of run %d", run)
          .isEqualTo(1);
    }
  }

  @Test
  void deployCheckWithWrongPasswordChangesNothing() {
    String message =
        rejectedDeploy(
            privateImage,
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa(),
            "-Dcanary.username=" + environment.privateRegistryUsername(),
            "-Dcanary.password=wrong-password");

    assertThat(message)
        .contains(
            "Registry "
                + environment.privateRegistry()
                + " rejected the credentials of user "
                + environment.privateRegistryUsername()
                + " from <username>/<password> parameters");
    assertThat(message).contains("-Dcanary.verifyImage=false");
  }

  @Test
  void deployCheckWithoutCredentialsChangesNothing() {
    String message =
        rejectedDeploy(
            privateImage,
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa());

    assertThat(message).contains("requires authentication for repository reliability/web");
    assertThat(message).contains("no credentials were found for it");
    assertThat(message).contains("-Dcanary.verifyImage=false");
  }

  @Test
  void deployCheckWithUnknownCaChangesNothing() {
    String message =
        rejectedDeploy(
            privateImage,
            "-Dregistry.insecure=false",
            "-Dcanary.username=" + environment.privateRegistryUsername(),
            "-Dcanary.password=" + environment.privateRegistryPassword());

    assertThat(message)
        .contains("The TLS certificate of registry " + environment.privateRegistry());
    assertThat(message).contains("<caFile> (-Dcanary.caFile)");
    assertThat(message).contains("-Dcanary.allowInsecureRegistries=true");
    assertThat(message).contains("-Dcanary.verifyImage=false");
  }

  @Test
  void deployCheckOfClosedPortChangesNothing() {
    String registry = "127.0.0.1:" + Kubeconfigs.closedPort();

    Instant start = Instant.now();
    String message = rejectedDeploy(registry + "/reliability/web:v1");

    assertThat(Duration.between(start, Instant.now())).isLessThan(MAX_FAILURE_TIME);
    assertThat(message).contains("Registry " + registry + " is unreachable");
    assertThat(message).contains("-Dcanary.verifyImage=false");
  }

  @Test
  void deployCheckOfflineChangesNothing() {
    String message = rejectedDeploy(environment.localRegistry() + "/reliability/web:v2", "-o");

    assertThat(message).contains("in offline mode");
    assertThat(message).contains("Run Maven without -o (--offline)");
    assertThat(message).contains("-Dcanary.verifyImage=false");
  }

  @Test
  void deployCheckUsesSettingsServerAndCaFile() throws Exception {
    Path settings = serverSettings(environment.privateRegistryPassword());
    MavenRun maven = namespace.project();
    MavenRun.Result build =
        maven.run(
            "canary:build",
            "-gs",
            settings.toString(),
            "-Dcanary.registry=" + environment.privateRegistry(),
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa());
    assertThat(build.succeeded()).as(build.output()).isTrue();
    namespace.createStatefulSet("private", stableImage, List.of("web"));

    MavenRun.Result deploy =
        maven.run(
            "canary:deploy",
            "-gs",
            settings.toString(),
            "-Dcanary.statefulSet=private",
            "-Dcanary.image=" + privateImage,
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa(),
            "-Dpartition=2");

    assertThat(deploy.succeeded()).as(deploy.output()).isTrue();
    assertThat(deploy.output())
        .contains("Image " + privateImage + " exists in registry " + environment.privateRegistry());
    assertThat(image(namespace.statefulSet("private"))).isEqualTo(privateImage);
  }

  @Test
  void insecureDeployCheckWarnsOnEveryRun() {
    namespace.createStatefulSet("warned", stableImage, List.of("web"));
    MavenRun maven = namespace.project();
    String nextImage = environment.localRegistry() + "/reliability/web:v2";

    for (int partition = 2; partition >= 1; partition--) {
      MavenRun.Result result =
          maven.run(
              "canary:deploy",
              "-Dcanary.statefulSet=warned",
              "-Dcanary.image=" + nextImage,
              "-Dpartition=" + partition);

      assertThat(result.succeeded()).as(result.output()).isTrue();
      assertThat(MavenOutput.warnings(result.output(), "allowInsecureRegistries is true"))
          .as("warnings of the run with partition %d", partition)
          .isEqualTo(1);
    }
  }

  @Test
  void disabledImageCheckDeploysUnknownTagWithWarning() {
    namespace.createStatefulSet("unchecked", stableImage, List.of("web"));
    String unknown = environment.localRegistry() + "/reliability/web:not-pushed";

    MavenRun.Result result =
        namespace
            .project()
            .run(
                "canary:deploy",
                "-Dcanary.statefulSet=unchecked",
                "-Dcanary.image=" + unknown,
                "-Dpartition=2",
                "-Dcanary.verifyImage=false");

    assertThat(result.succeeded()).as(result.output()).isTrue();
    assertThat(MavenOutput.warnings(result.output(), "canary.verifyImage=false")).isEqualTo(1);
    assertThat(result.output()).doesNotContain("Checking that image");
    assertThat(image(namespace.statefulSet("unchecked"))).isEqualTo(unknown);
  }

  private String rejectedBuild(String repository, boolean privateRegistry, String... arguments) {
    MavenRun maven = namespace.project();
    List<String> tagsBefore = tags(repository, privateRegistry);
    List<String> command = new ArrayList<>(List.of("canary:build", "-Drepository=" + repository));
    command.addAll(List.of(arguments));

    MavenRun.Result result = maven.run(command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(tags(repository, privateRegistry)).as("tags of " + repository).isEqualTo(tagsBefore);
    assertThat(maven.directory().resolve("target/canary/image.json")).doesNotExist();
    return MavenOutput.failure(result.output());
  }

  private static List<String> tags(String repository, boolean privateRegistry) {
    if (privateRegistry) {
      return TestRegistries.privateTags(environment, repository);
    }
    return TestRegistries.localTags(environment, repository);
  }

  /** Deploys {@code image} to the namespace's StatefulSet, which must fail and change nothing. */
  private static String rejectedDeploy(String image, String... arguments) {
    Map<String, String> before = namespace.resourceVersions(ReliabilityNamespace.WEB);
    List<String> command =
        new ArrayList<>(List.of("canary:deploy", "-Dpartition=1", "-Dcanary.image=" + image));
    command.addAll(List.of(arguments));

    MavenRun.Result result = namespace.project().run(command.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(namespace.resourceVersions(ReliabilityNamespace.WEB))
        .as("StatefulSet web and its pods")
        .isEqualTo(before);
    return MavenOutput.failure(result.output());
  }

  /** Writes a global settings.xml with the private registry's credentials in a {@code <server>}. */
  private Path serverSettings(String password) throws Exception {
    Path settings = directory.resolve("servers.xml");
    Files.writeString(
        settings,
        "<settings><servers><server><id>"
            + environment.privateRegistry()
            + "</id><username>"
            + environment.privateRegistryUsername()
            + "</username><password>"
            + password
            + "</password></server></servers></settings>");
    return settings;
  }

  private static String uniqueRepository() {
    return "reliability/build-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String image(StatefulSet statefulSet) {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
