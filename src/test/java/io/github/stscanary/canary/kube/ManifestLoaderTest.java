package io.github.stscanary.canary.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestLoaderTest {

  private static final Path FILE = Path.of("src/main/k8s/statefulset.yaml");

  @TempDir Path folder;

  // Parsing is local, so the client sends no request to this address.
  private KubernetesClient client;

  @BeforeEach
  void createClient() {
    client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void substituteFillsPlaceholders() {
    String text = "image: ${canary.image}\nreplicas: ${replicas}\n";

    String result =
        ManifestLoader.substitute(
            FILE, text, Map.of("canary.image", "127.0.0.1:5000/shop/web:v2", "replicas", "5"));

    assertThat(result).isEqualTo("image: 127.0.0.1:5000/shop/web:v2\nreplicas: 5\n");
  }

  @Test
  void substituteFillsSeveralOnOneLine() {
    String result =
        ManifestLoader.substitute(
            FILE,
            "image: ${registry}/${project.artifactId}:${project.version}",
            Map.of(
                "registry",
                "127.0.0.1:5000",
                "project.artifactId",
                "web",
                "project.version",
                "1.2.0"));

    assertThat(result).isEqualTo("image: 127.0.0.1:5000/web:1.2.0");
  }

  @Test
  void substituteInsertsValueLiterally() {
    String result =
        ManifestLoader.substitute(
            FILE, "password: ${db.password}", Map.of("db.password", "a$1\\b"));

    assertThat(result).isEqualTo("password: a$1\\b");
  }

  @Test
  void missingPlaceholderNamesFileAndLine() {
    String text =
        "apiVersion: apps/v1\nkind: StatefulSet\n# ${ignored}\nspec:\n  image: ${app.image}\n";

    assertThatThrownBy(() -> ManifestLoader.substitute(FILE, text, Map.of()))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            FILE
                + ":5: no value for placeholder ${app.image}. Define it as a project property in the"
                + " pom or pass -Dapp.image=VALUE.");
  }

  @Test
  void substituteSkipsCommentLines() {
    String text = "# image: ${not.defined}\n  # ${also.not.defined}\nkind: Service";

    String result = ManifestLoader.substitute(FILE, text, Map.of());

    assertThat(result).isEqualTo(text);
  }

  @Test
  void substituteKeepsTextWithoutPlaceholders() {
    String text = "kind: Service\r\nmetadata:\r\n  name: web\r\n";

    assertThat(ManifestLoader.substitute(FILE, text, Map.of())).isEqualTo(text);
  }

  @Test
  void manifestFilesSortedByName() throws IOException {
    Files.writeString(folder.resolve("20-service.yaml"), "");
    Files.writeString(folder.resolve("10-statefulset.yml"), "");
    Files.writeString(folder.resolve("00-namespace.yaml"), "");

    assertThat(ManifestLoader.manifestFiles(folder))
        .extracting(file -> file.getFileName().toString())
        .containsExactly("00-namespace.yaml", "10-statefulset.yml", "20-service.yaml");
  }

  @Test
  void manifestFilesIgnoresOtherFiles() throws IOException {
    Files.writeString(folder.resolve("statefulset.yaml"), "");
    Files.writeString(folder.resolve("README.md"), "");
    Files.writeString(folder.resolve("values.json"), "");
    Files.writeString(folder.resolve("statefulset.yaml.orig"), "");
    Files.createDirectory(folder.resolve("overlays.yaml"));

    assertThat(ManifestLoader.manifestFiles(folder))
        .containsExactly(folder.resolve("statefulset.yaml"));
  }

  @Test
  void manifestFilesOfMissingFolderEmpty() throws IOException {
    assertThat(ManifestLoader.manifestFiles(folder.resolve("k8s"))).isEmpty();
  }

  @Test
  void loadParsesEveryDocument() throws IOException {
    Path file = folder.resolve("web.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: StatefulSet",
            "metadata:",
            "  name: web",
            "spec:",
            "  serviceName: web",
            "  selector:",
            "    matchLabels:",
            "      app: web",
            "  template:",
            "    metadata:",
            "      labels:",
            "        app: web",
            "    spec:",
            "      containers:",
            "      - name: app",
            "        image: ${canary.image}",
            "---",
            "apiVersion: v1",
            "kind: Service",
            "metadata:",
            "  name: web",
            "spec:",
            "  selector:",
            "    app: web",
            "  ports:",
            "  - port: 80",
            ""));

    List<HasMetadata> resources =
        new ManifestLoader(client).load(file, Map.of("canary.image", "127.0.0.1:5000/shop/web:v2"));

    assertThat(resources)
        .extracting(HasMetadata::getKind)
        .containsExactly("StatefulSet", "Service");
    StatefulSet statefulSet = (StatefulSet) resources.get(0);
    assertThat(statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("127.0.0.1:5000/shop/web:v2");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: [web\\n | line 4, column 9",
        "apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: web\\n\\tlabels: {}\\n | line 5",
        "apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: web\\n  name: web2\\n | found duplicate key name"
      })
  void loadOfInvalidYamlNamesFile(String yaml, String detail) throws IOException {
    Path file = folder.resolve("broken.yaml");
    Files.writeString(file, yaml.translateEscapes());

    assertThatThrownBy(() -> new ManifestLoader(client).load(file, Map.of()))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(file + ": invalid manifest: ")
        .hasMessageContaining(detail);
  }

  @Test
  void loadOfWrongFieldTypeNamesFile() throws IOException {
    Path file = folder.resolve("statefulset.yaml");
    Files.writeString(
        file,
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: five\n");

    assertThatThrownBy(() -> new ManifestLoader(client).load(file, Map.of()))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(file + ": invalid manifest: ")
        .hasMessageContaining("\"five\"");
  }

  @Test
  void loadOfMissingPlaceholderNamesFile() throws IOException {
    Path file = folder.resolve("service.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Service\nmetadata:\n  name: ${service.name}\n");

    assertThatThrownBy(() -> new ManifestLoader(client).load(file, Map.of()))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(file + ":4: no value for placeholder ${service.name}.");
  }
}
