package io.github.stscanary.canary.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads Kubernetes manifests from a folder: every {@code .yaml} and {@code .yml} file in name
 * order, each possibly with several documents, with {@code ${name}} placeholders filled in.
 */
public final class ManifestLoader {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  private final KubernetesClient client;

  public ManifestLoader(KubernetesClient client) {
    this.client = client;
  }

  /** Returns the manifest files in {@code folder}, empty when it does not exist. */
  public static List<Path> manifestFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  /**
   * Parses one file after filling in its placeholders.
   *
   * @throws ManifestException naming the file (and the line, for a placeholder or YAML error)
   */
  public List<HasMetadata> load(Path file, Map<String, String> values) throws IOException {
    String text = substitute(file, Files.readString(file, StandardCharsets.UTF_8), values);
    try {
      return client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
    } catch (KubernetesClientException | IllegalArgumentException | YamlEngineException e) {
      // fabric8 splits and parses the documents with snakeyaml-engine, whose syntax errors (bad
      // indentation, tabs, duplicate keys) are neither of the other two types.
      throw new ManifestException(file + ": invalid manifest: " + rootMessage(e), e);
    }
  }

  /** Replaces each {@code ${name}} with its value; a name without a value is an error. */
  static String substitute(Path file, String text, Map<String, String> values) {
    StringBuilder result = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int index = 0; index < lines.length; index++) {
      String line = lines[index];
      if (line.stripLeading().startsWith("#")) {
        result.append(line);
      } else {
        Matcher matcher = PLACEHOLDER.matcher(line);
        while (matcher.find()) {
          String name = matcher.group(1);
          String value = values.get(name);
          if (value == null) {
            throw new ManifestException(
                file
                    + ":"
                    + (index + 1)
                    + ": no value for placeholder ${"
                    + name
                    + "}. Define it as a project property in the pom or pass -D"
                    + name
                    + "=VALUE.");
          }
          matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
      }
      if (index < lines.length - 1) {
        result.append('\n');
      }
    }
    return result.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
