package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.DockerConfigCredentials;
import io.github.stscanary.canary.image.ImageBuildException;
import io.github.stscanary.canary.image.ImageBuildRequest;
import io.github.stscanary.canary.image.ImageBuildResult;
import io.github.stscanary.canary.image.ImageBuilder;
import io.github.stscanary.canary.image.ImageReferences;
import io.github.stscanary.canary.image.RegistryCredentials;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds an image from a base image plus the content directory, pushes it with its tags, and
 * records the pushed image and digest for the deploy goals.
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    threadSafe = true,
    requiresProject = true)
public class BuildMojo extends AbstractMojo {

  /**
   * Base image: {@code scratch}, {@code tar:///path/to/image.tar} or {@code tar://relative.tar} (a
   * {@code docker save} archive; relative to the project directory), or a registry reference.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.from", defaultValue = "nginx:1.28.0-alpine")
  String from;

  /**
   * Directory whose files are copied into the image, as one layer with mode 644 for files and 755
   * for directories.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "canary.contentDirectory",
      defaultValue = "${project.basedir}/src/main/html")
  File contentDirectory;

  /**
   * Absolute directory inside the image that receives the content.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.targetDirectory", defaultValue = "/usr/share/nginx/html/")
  String targetDirectory;

  /**
   * Repository to push to, without tag, for example {@code 127.0.0.1:5000/library/version-test}.
   * Required.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.image")
  String image;

  /**
   * Tag of the pushed image.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.tag", defaultValue = "${project.version}")
  String tag;

  /**
   * More tags for the same image, for example {@code latest}; comma-separated on the command line.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.extraTags")
  List<String> extraTags;

  /**
   * Username for the target registry. When unset with {@code password}, the credentials come from
   * the settings.xml {@code <server>} whose id is the registry host, else from {@code
   * ~/.docker/config.json}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.username")
  String username;

  /**
   * Password or token for the target registry, also read from {@code -Dcanary.password}. Prefer an
   * encrypted settings.xml {@code <server>}. Maven prints the value of this POM element at debug
   * level ({@code -X}), but not that of {@code -Dcanary.password}, which the goal reads itself.
   *
   * @since 0.1.0
   */
  @Parameter String password;

  /**
   * Username for the base image's registry, looked up like {@code username} when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.fromUsername")
  String fromUsername;

  /**
   * Password or token for the base image's registry, also read from {@code -Dcanary.fromPassword}.
   * Maven prints the value of this POM element at debug level ({@code -X}), but not that of the
   * property, which the goal reads itself.
   *
   * @since 0.1.0
   */
  @Parameter String fromPassword;

  /**
   * PEM file with the CA certificates of private registries, trusted in addition to the JVM's trust
   * store. The file may hold several certificates.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.caFile")
  File caFile;

  /**
   * Allows registries over plain HTTP, or over HTTPS without certificate verification. Logs a
   * warning on every build; for a private CA, prefer {@code caFile}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.allowInsecureRegistries", defaultValue = "false")
  boolean allowInsecureRegistries;

  /**
   * Entrypoint of the image. When unset, the base image's entrypoint is kept.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.entrypoint")
  List<String> entrypoint;

  /**
   * TCP ports to expose in addition to the base image's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.ports")
  List<Integer> ports;

  /**
   * Labels to add to the base image's, replacing those with the same key.
   *
   * @since 0.1.0
   */
  @Parameter Map<String, String> labels;

  /**
   * File where the pushed image reference, digest and tags are recorded for the deploy goals.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "canary.imageRecord",
      defaultValue = "${project.build.directory}/canary/image.json")
  File imageRecord;

  /**
   * Skips the goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "canary.skip", defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${session}", readonly = true)
  MavenSession session;

  @Parameter(defaultValue = "${project}", readonly = true)
  MavenProject project;

  @Component SettingsDecrypter settingsDecrypter;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping canary:build (canary.skip=true)");
      return;
    }
    ProgressLog log = new MavenProgressLog(getLog());
    try {
      ImageBuildResult result = new ImageBuilder(log).build(request(log));
      result.toRecord().write(imageRecord.toPath());
      log.debug("Recorded the image in " + imageRecord);
      getLog().info(outcome(result));
    } catch (ImageBuildException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("canary:build failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("canary:build was interrupted", e);
    }
  }

  private ImageBuildRequest request(ProgressLog log) throws MojoFailureException {
    if (image == null || image.isBlank()) {
      throw new MojoFailureException(
          "No image to push: set <image> or -Dcanary.image to a repository without tag, for"
              + " example 127.0.0.1:5000/library/version-test.");
    }
    RegistryCredentialResolver credentials =
        new RegistryCredentialResolver(
            session.getSettings(),
            settingsDecrypter,
            DockerConfigCredentials.fromEnvironment(),
            log);
    return ImageBuildRequest.builder()
        .from(from)
        .baseDirectory(project.getBasedir().toPath())
        .contentDirectory(contentDirectory.toPath())
        .targetDirectory(targetDirectory)
        .image(image.trim())
        .tag(tag)
        .extraTags(trimmed(extraTags))
        .targetCredentials(
            credentialsFor(
                credentials,
                image,
                username,
                SecretProperties.resolve(password, session, "canary.password"),
                "<username>/<password>"))
        .baseCredentials(
            credentialsFor(
                credentials,
                from,
                fromUsername,
                SecretProperties.resolve(fromPassword, session, "canary.fromPassword"),
                "<fromUsername>/<fromPassword>"))
        .caFiles(caFile == null ? List.of() : List.of(caFile.toPath()))
        .allowInsecureRegistries(allowInsecureRegistries)
        .offline(session.isOffline())
        .proxyProperties(SettingsProxies.properties(session.getSettings(), settingsDecrypter, log))
        .applicationLayersCache(
            new File(project.getBuild().getDirectory(), "canary/jib-cache").toPath())
        .entrypoint(entrypoint == null || entrypoint.isEmpty() ? null : entrypoint)
        .exposedPorts(ports == null ? Set.of() : new LinkedHashSet<>(ports))
        .labels(labels == null ? Map.of() : labels)
        .build();
  }

  private static RegistryCredentials credentialsFor(
      RegistryCredentialResolver resolver,
      String reference,
      String username,
      String password,
      String parameters)
      throws MojoFailureException {
    Optional<String> registry = ImageReferences.registryOf(reference);
    if (registry.isEmpty()) {
      return null;
    }
    return resolver.resolve(registry.get(), username, password, parameters).orElse(null);
  }

  private static List<String> trimmed(List<String> values) {
    if (values == null) {
      return List.of();
    }
    return values.stream().map(String::trim).filter(value -> !value.isEmpty()).toList();
  }

  /** Returns the outcome line, for example {@code Pushed repo:1.0 (digest sha256:...)}. */
  static String outcome(ImageBuildResult result) {
    StringBuilder line =
        new StringBuilder(result.manifestPushed() ? "Pushed " : "Already in the registry: ")
            .append(result.image())
            .append(" (digest ")
            .append(result.digest())
            .append(')');
    List<String> extra = result.tags().subList(1, result.tags().size());
    if (!extra.isEmpty()) {
      line.append(", also tagged ").append(String.join(", ", extra));
    }
    return line.toString();
  }
}
