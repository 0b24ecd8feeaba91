package io.github.stscanary.canary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs goals of the plugin with real Maven in a copy of a project under {@code src/test/projects},
 * against the local environment. The plugin comes from the repository that maven-invoker-plugin's
 * install goal fills ({@code target/it-repo}); other artifacts come from the outer build's local
 * repository.
 */
public final class MavenRun {

  /** Longest a single Maven run may take before it is killed and the test fails. */
  public static final long TIMEOUT_SECONDS = 300;

  private final Path directory;
  private final ClusterEnvironment environment;
  private final String namespace;

  private MavenRun(Path directory, ClusterEnvironment environment, String namespace) {
    this.directory = directory;
    this.environment = environment;
    this.namespace = namespace;
  }

  /** Copies {@code src/test/projects/<name>} to a fresh folder under {@code target/}. */
  public static MavenRun copyOf(String name, ClusterEnvironment environment, String namespace) {
    Path source = Path.of("src/test/projects", name);
    Path target = Path.of("target/test-projects", name + "-" + UUID.randomUUID()).toAbsolutePath();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MavenRun(target, environment, namespace);
  }

  public Path directory() {
    return directory;
  }

  /** Runs Maven with {@code arguments} (goals and -D options) and waits for it. */
  public Result run(String... arguments) {
    Process process = start(arguments);
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("Maven did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), output());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while waiting for Maven", e);
    }
  }

  /** Starts Maven without waiting; its output goes to {@link #output()}. */
  public Process start(String... arguments) {
    List<String> command = new ArrayList<>();
    // A process started from a background job of a non-interactive shell, as a CI runner may start
    // the outer build, inherits SIGINT as ignored, and the JVM then installs no handler for it.
    // GNU env resets it, so SIGINT reaches Maven's shutdown hooks as Ctrl-C in a terminal does.
    command.add("env");
    command.add("--default-signal=INT");
    command.add("mvn");
    command.add("-B");
    command.add("-s");
    command.add(settings().toString());
    command.add("-Dmaven.repo.local=" + Path.of("target/it-repo").toAbsolutePath());
    command.add("-Dcanary.plugin.version=" + System.getProperty("project.version"));
    command.add("-Dcanary.registry=" + environment.localRegistry());
    command.add("-Dcanary.kubeconfig=" + environment.adminKubeconfig());
    command.add("-Dcanary.namespace=" + namespace);
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("build.log").toFile());
    builder.environment().remove("MAVEN_OPTS");
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to start mvn: is it on PATH?", e);
    }
  }

  /** Returns what the last run printed. */
  public String output() {
    try {
      return Files.readString(directory.resolve("build.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The outer build's local repository serves as a remote, so the runs download nothing new.
  private Path settings() {
    Path file = directory.resolve("test-settings.xml");
    Path outerRepository =
        Path.of(
            System.getProperty(
                "outer.repository", System.getProperty("user.home") + "/.m2/repository"));
    String xml =
        "<settings><profiles><profile><id>outer</id>"
            + "<repositories><repository><id>outer</id><url>"
            + outerRepository.toUri()
            + "</url></repository></repositories>"
            + "<pluginRepositories><pluginRepository><id>outer</id><url>"
            + outerRepository.toUri()
            + "</url></pluginRepository></pluginRepositories>"
            + "</profile></profiles><activeProfiles><activeProfile>outer</activeProfile>"
            + "</activeProfiles></settings>";
    try {
      Files.writeString(file, xml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Exit code and output of one Maven run. */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }
}
