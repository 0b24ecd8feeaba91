package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs build, deploy and status with real Maven at debug level ({@code -X}) with each kind of
 * secret the plugin handles, and searches the whole output and the files under {@code
 * target/canary} for it: the private registry's password (plain and in a Basic authorization
 * header), a ServiceAccount token, and the admin client key.
 */
class ReliabilitySecretsIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();

  private static ReliabilityNamespace namespace;
  private static String stableImage;

  @TempDir Path directory;

  @BeforeAll
  static void createNamespace() {
    namespace = ReliabilityNamespace.create(environment, "rel-secrets");
    stableImage = TestRegistries.pushLocal(environment, "reliability/web", "v1");
  }

  @AfterAll
  static void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void registryPasswordNeverPrinted() throws IOException {
    String password = environment.privateRegistryPassword();
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (environment.privateRegistryUsername() + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
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
    namespace.createStatefulSet("private", stableImage, List.of("web"));
    String privateImage = environment.privateRegistry() + "/reliability/secret:v1";
    MavenRun maven = namespace.project();
    List<String> registryAccess =
        List.of(
            "-X",
            "-gs",
            settings.toString(),
            "-Dcanary.registry=" + environment.privateRegistry(),
            "-Drepository=reliability/secret",
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa());

    String output =
        runAll(
            maven,
            registryAccess,
            List.of("canary:build"),
            List.of(
                "canary:deploy",
                "-Dcanary.statefulSet=private",
                "-Dcanary.image=" + privateImage,
                "-Dpartition=2"),
            List.of("canary:status", "-Dcanary.statefulSet=private"));

    assertThat(output).as("-X output and target/canary files").contains("settings.xml <server>");
    assertThat(output).as("-X output and target/canary files").doesNotContain(password);
    assertThat(output).as("-X output and target/canary files").doesNotContain(basic);
  }

  // Maven prints every injected parameter at -X, so the goals read -Dcanary.password themselves.
  @Test
  void passwordPropertyNeverPrinted() {
    String password = environment.privateRegistryPassword();
    namespace.createStatefulSet("property", stableImage, List.of("web"));
    MavenRun maven = namespace.project();
    List<String> registryAccess =
        List.of(
            "-X",
            "-Dcanary.registry=" + environment.privateRegistry(),
            "-Drepository=reliability/property",
            "-Dregistry.insecure=false",
            "-Dcanary.caFile=" + environment.privateRegistryCa(),
            "-Dcanary.username=" + environment.privateRegistryUsername(),
            "-Dcanary.password=" + password);

    String output =
        runAll(
            maven,
            registryAccess,
            List.of("canary:build"),
            List.of(
                "canary:deploy",
                "-Dcanary.statefulSet=property",
                "-Dcanary.image=" + environment.privateRegistry() + "/reliability/property:v1",
                "-Dpartition=2"));

    assertThat(output)
        .as("-X output and target/canary files")
        .contains("from <username>/<password> parameters");
    assertThat(output).as("-X output and target/canary files").doesNotContain(password);
  }

  @Test
  void serviceAccountTokenNeverPrinted() {
    String token = Kubeconfigs.restrictedToken(environment);
    String name = "secret-" + UUID.randomUUID().toString().substring(0, 8);
    String restricted = environment.restrictedNamespace();
    namespace.createStatefulSetIn(restricted, name, stableImage, List.of("web"), "RollingUpdate");
    MavenRun maven = MavenRun.copyOf(ReliabilityNamespace.PROJECT, environment, restricted);
    String nextImage = TestRegistries.pushLocal(environment, "reliability/web", "v2");
    List<String> access =
        List.of(
            "-X",
            "-Dcanary.kubeconfig=" + environment.restrictedKubeconfig(),
            "-Dcanary.statefulSet=" + name);

    String output;
    try {
      output =
          runAll(
              maven,
              access,
              List.of("canary:deploy", "-Dcanary.image=" + nextImage, "-Dpartition=2"),
              List.of("canary:status"),
              List.of("canary:status", "-Dcanary.output=json"));
    } finally {
      namespace.client().apps().statefulSets().inNamespace(restricted).withName(name).delete();
    }

    // A JWT is header.payload.signature; the signature alone would let no one in, the payload
    // alone is not secret, so the search is for the whole token and its signature.
    String signature = token.substring(token.lastIndexOf('.') + 1);
    assertThat(output).as("-X output and target/canary files").doesNotContain(token);
    assertThat(output).as("-X output and target/canary files").doesNotContain(signature);
  }

  @Test
  void adminClientKeyNeverPrinted() {
    String keyData = Kubeconfigs.adminClientKeyData(environment);
    String pem = new String(Base64.getDecoder().decode(keyData), StandardCharsets.US_ASCII);
    List<String> pemLines =
        pem.lines().filter(line -> !line.startsWith("-----") && !line.isBlank()).toList();
    namespace.createStatefulSet("admin", stableImage, List.of("web"));
    String nextImage = TestRegistries.pushLocal(environment, "reliability/web", "v2");
    MavenRun maven = namespace.project();

    String output =
        runAll(
            maven,
            List.of("-X", "-Dcanary.statefulSet=admin"),
            List.of("canary:deploy", "-Dcanary.image=" + nextImage, "-Dpartition=2"),
            List.of("canary:status"),
            List.of("canary:status", "-Dcanary.output=json"));

    assertThat(output).as("-X output and target/canary files").doesNotContain(keyData);
    for (String line : pemLines) {
      assertThat(output).as("-X output and target/canary files").doesNotContain(line);
    }
    assertThat(output).as("-X output and target/canary files").doesNotContain("PRIVATE KEY");
  }

  /**
   * Runs each goal with the {@code common} arguments, asserts that each succeeded at debug level,
   * and returns all outputs followed by the content of every file under {@code target/canary}
   * except the jib layer cache.
   */
  @SafeVarargs
  private static String runAll(MavenRun maven, List<String> common, List<String>... goals) {
    StringBuilder everything = new StringBuilder();
    for (List<String> goal : goals) {
      List<String> command = new ArrayList<>(goal);
      command.addAll(common);
      MavenRun.Result result = maven.run(command.toArray(String[]::new));
      assertThat(result.succeeded()).as(result.output()).isTrue();
      assertThat(result.output()).as("debug output of %s", goal.get(0)).contains("[DEBUG]");
      everything.append(result.output());
    }
    Path reports = maven.directory().resolve("target/canary");
    try (Stream<Path> files = Files.walk(reports)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.toString().contains("jib-cache")) {
          everything.append(Files.readString(file, StandardCharsets.ISO_8859_1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(reports.resolve("report.json")).exists();
    return everything.toString();
  }
}
