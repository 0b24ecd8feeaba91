package io.github.stscanary.canary.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs canary:apply with real Maven on broken manifests, next to an applied StatefulSet and
 * Service. Each run must fail with a message naming the file and the line or field, and leave the
 * namespace unchanged, because every manifest is parsed and sent as a server-side dry run before
 * the first one is applied.
 */
class ReliabilityManifestIT {

  private static final ClusterEnvironment environment = ClusterEnvironment.load();

  private static final String CONFIG_MAP =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: canary\n";

  private static ReliabilityNamespace namespace;
  private static String image;

  @BeforeAll
  static void applyProject() {
    namespace = ReliabilityNamespace.create(environment, "rel-manifest");
    image = TestRegistries.pushLocal(environment, "reliability/web", "v1");
    MavenRun.Result result = namespace.project().run("canary:apply", "-Dcanary.image=" + image);
    assertThat(result.succeeded()).as(result.output()).isTrue();
  }

  @AfterAll
  static void deleteNamespace() {
    if (namespace != null) {
      namespace.close();
    }
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        broken(
            "tab indentation",
            "service.yaml",
            yaml -> yaml.replace("  name: web\n", "  name: web\n\tlabels: {}\n"),
            "service.yaml: invalid manifest",
            "found character '\\t(TAB)' that cannot start any token",
            "line 5"),
        broken(
            "duplicate key",
            "statefulset.yaml",
            yaml -> yaml.replace("  replicas: 3\n", "  replicas: 3\n  replicas: 4\n"),
            "statefulset.yaml: invalid manifest",
            "found duplicate key replicas",
            "line 8"),
        broken(
            "field of the wrong type",
            "statefulset.yaml",
            yaml -> yaml.replace("  replicas: 3\n", "  replicas: three\n"),
            "statefulset.yaml: invalid manifest",
            "three"),
        broken(
            "unknown kind",
            "statefulset.yaml",
            yaml -> yaml.replace("kind: StatefulSet", "kind: StatefulSett"),
            "statefulset.yaml: unknown kind StatefulSett in apiVersion apps/v1",
            "kubectl api-resources"),
        broken(
            "selector change on existing StatefulSet",
            "statefulset.yaml",
            yaml -> yaml.replace("app: web", "app: web2"),
            "statefulset.yaml: StatefulSet web was rejected by the API server",
            "spec: Forbidden: updates to statefulset spec",
            "kubectl delete statefulset web -n "),
        broken(
            "template labels not matching selector",
            "statefulset.yaml",
            yaml ->
                yaml.replace(
                    "      labels:\n        app: web", "      labels:\n        app: other"),
            "statefulset.yaml: StatefulSet web was rejected by the API server",
            "spec.template.metadata.labels",
            "`selector` does not match template `labels`"),
        broken(
            "missing placeholder value",
            "statefulset.yaml",
            yaml -> yaml.replace("${canary.image}", "${app.image}"),
            "statefulset.yaml:22: no value for placeholder ${app.image}",
            "-Dapp.image=VALUE"),
        broken(
            "other namespace in metadata",
            "service.yaml",
            yaml -> yaml.replace("  name: web\n", "  name: web\n  namespace: elsewhere\n"),
            "service.yaml: Service web names namespace elsewhere",
            "-Dcanary.namespace=elsewhere"));
  }

  private static Arguments broken(
      String name, String file, UnaryOperator<String> edit, String... expected) {
    return Arguments.of(name, file, edit, List.of(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void brokenManifestChangesNothing(
      String name, String file, UnaryOperator<String> edit, List<String> expected) {
    MavenRun maven = namespace.project();
    Path manifest = manifests(maven).resolve(file);
    write(manifest, edit.apply(read(manifest)));

    assertRejectedWithoutChange(maven, expected);
  }

  @Test
  void nodePortOutsideRangeAppliesNothing() {
    MavenRun maven = namespace.project();
    write(manifests(maven).resolve("a-settings.yaml"), CONFIG_MAP);
    write(
        manifests(maven).resolve("z-node-port.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: public\nspec:\n  type: NodePort\n"
            + "  selector:\n    app: web\n  ports:\n    - port: 80\n      nodePort: 99999\n");

    assertRejectedWithoutChange(
        maven,
        List.of(
            "z-node-port.yaml: Service public was rejected by the API server",
            "spec.ports[0].nodePort: Invalid value: 99999",
            "The range of valid ports is 30000-32767"));
  }

  @Test
  void invalidSecondFileLeavesFirstUnapplied() {
    MavenRun maven = namespace.project();
    write(manifests(maven).resolve("a-settings.yaml"), CONFIG_MAP);
    Path statefulSet = manifests(maven).resolve("statefulset.yaml");
    write(
        statefulSet,
        read(statefulSet)
            .replace("      labels:\n        app: web", "      labels:\n        app: x"));

    assertRejectedWithoutChange(
        maven, List.of("statefulset.yaml: StatefulSet web was rejected by the API server"));
    assertThat(
            namespace
                .client()
                .configMaps()
                .inNamespace(namespace.name())
                .withName("settings")
                .get())
        .as("ConfigMap settings of the first file")
        .isNull();
  }

  private static void assertRejectedWithoutChange(MavenRun maven, List<String> expected) {
    Map<String, String> objectsBefore = namespace.resourceVersions();

    MavenRun.Result result = maven.run("canary:apply", "-Dcanary.image=" + image);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    String message = MavenOutput.failure(result.output());
    for (String fragment : expected) {
      assertThat(message).as("failure message").contains(fragment);
    }
    assertThat(result.output()).as("output").doesNotContain("[INFO] Applied ");
    assertThat(namespace.resourceVersions())
        .as("objects in the namespace")
        .isEqualTo(objectsBefore);
  }

  private static Path manifests(MavenRun maven) {
    return maven.directory().resolve("src/main/k8s");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
