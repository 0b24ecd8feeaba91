package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.github.stscanary.canary.ProgressLog;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds an image from a base image plus one layer with the content directory, and pushes it with
 * its tags to a registry.
 */
public final class ImageBuilder {

  /** Name of the single layer that carries the content directory. */
  static final String CONTENT_LAYER = "content";

  private static final FilePermissions FILE_PERMISSIONS = FilePermissions.fromOctalString("644");
  private static final FilePermissions DIRECTORY_PERMISSIONS =
      FilePermissions.fromOctalString("755");

  private final ProgressLog log;

  public ImageBuilder(ProgressLog log) {
    this.log = log;
  }

  /**
   * Builds the image described by {@code request} and pushes it with all its tags.
   *
   * @throws ImageBuildException for problems the user can fix: invalid references, a missing
   *     content directory or base image, offline mode, rejected credentials, untrusted certificates
   *     or an unreachable registry
   * @throws IOException for unexpected local I/O failures, such as an unwritable cache
   */
  public ImageBuildResult build(ImageBuildRequest request)
      throws ImageBuildException, IOException, InterruptedException {
    warnIfInsecure(request);

    ImageReference target = ImageReferences.target(request.image(), request.tag());
    ImageReferences.requireValidTags(request.extraTags());
    Set<String> registries = registries(request, target);
    requireOnline(request, target);
    AbsoluteUnixPath targetDirectory = targetDirectory(request.targetDirectory());
    requireContentDirectory(request.contentDirectory());

    JibContainerBuilder container = baseImage(request);
    container.addFileEntriesLayer(contentLayer(request.contentDirectory(), targetDirectory));
    applyContainerSettings(container, request);

    log.info(
        "Building "
            + target
            + " from "
            + request.from()
            + " with "
            + request.contentDirectory()
            + " in "
            + targetDirectory);
    RegistryPush push = new RegistryPush(request, target, log);
    JibContainer pushed = push.run(container, containerizer(request, target), registries);

    return new ImageBuildResult(
        pushed.getTargetImage().toString(),
        pushed.getDigest().toString(),
        pushed.getImageId().toString(),
        allTags(request),
        pushed.isImagePushed(),
        push.reusedBlobs());
  }

  private void warnIfInsecure(ImageBuildRequest request) {
    if (request.allowInsecureRegistries()) {
      log.warn(
          "allowInsecureRegistries is true: registries may be reached over plain HTTP or over"
              + " HTTPS without certificate verification. For a registry with a private CA, set"
              + " <caFile> (-Dcanary.caFile) instead.");
    }
  }

  private static void requireOnline(ImageBuildRequest request, ImageReference target)
      throws ImageBuildException {
    if (request.offline()) {
      throw new ImageBuildException(
          Reason.OFFLINE,
          "Cannot push "
              + target
              + " in offline mode. Run Maven without -o (--offline), or skip the image build with"
              + " -Dcanary.skip=true.");
    }
  }

  private static AbsoluteUnixPath targetDirectory(String directory) throws ImageBuildException {
    try {
      return AbsoluteUnixPath.get(directory);
    } catch (IllegalArgumentException e) {
      throw new ImageBuildException(
          Reason.INVALID_REQUEST,
          "Invalid <targetDirectory> (-Dcanary.targetDirectory) '"
              + directory
              + "': it must be an absolute Unix path inside the image, for example "
              + ImageBuildRequest.DEFAULT_TARGET_DIRECTORY,
          e);
    }
  }

  private static void requireContentDirectory(Path directory) throws ImageBuildException {
    if (!Files.isDirectory(directory)) {
      throw new ImageBuildException(
          Reason.CONTENT_NOT_FOUND,
          "Content directory "
              + directory
              + " not found. Put the files to serve there, or set <contentDirectory>"
              + " (-Dcanary.contentDirectory).");
    }
  }

  private JibContainerBuilder baseImage(ImageBuildRequest request) throws ImageBuildException {
    String from = request.from();
    if (ImageReferences.SCRATCH.equals(from)) {
      return Jib.fromScratch();
    }
    if (ImageReferences.isTar(from)) {
      Path tar = ImageReferences.tarPath(from, request.baseDirectory());
      if (!Files.isRegularFile(tar)) {
        throw new ImageBuildException(
            Reason.BASE_IMAGE_NOT_FOUND,
            "Base image archive "
                + tar
                + " not found. Write it with docker save or jib, or change <from>"
                + " (-Dcanary.from).");
      }
      return Jib.from(TarImage.at(tar));
    }
    ImageReference base = ImageReferences.registryBase(from);
    // TODO: jib-core picks linux/amd64 from a multi-platform base such as nginx. Clusters on other
    // architectures need a platform parameter that is passed to JibContainerBuilder.setPlatforms.
    RegistryImage image = RegistryImage.named(base);
    Optional<RegistryCredentials> credentials = request.baseCredentials();
    credentials.ifPresent(c -> image.addCredential(c.username(), c.password()));
    logCredentialSource("base image " + base, credentials);
    return Jib.from(image);
  }

  /**
   * Returns one layer with the content directory. Fixed permissions and modification times make the
   * layer digest depend only on file names and contents, so identical content always gives an
   * identical layer.
   */
  static FileEntriesLayer contentLayer(Path contentDirectory, AbsoluteUnixPath targetDirectory)
      throws IOException {
    return FileEntriesLayer.builder()
        .setName(CONTENT_LAYER)
        .addEntryRecursive(
            contentDirectory,
            targetDirectory,
            (source, destination) ->
                Files.isDirectory(source) ? DIRECTORY_PERMISSIONS : FILE_PERMISSIONS,
            (source, destination) -> FileEntriesLayer.DEFAULT_MODIFICATION_TIME)
        .build();
  }

  private static void applyContainerSettings(
      JibContainerBuilder container, ImageBuildRequest request) {
    request.entrypoint().ifPresent(container::setEntrypoint);
    for (int port : request.exposedPorts()) {
      container.addExposedPort(Port.tcp(port));
    }
    request.labels().forEach(container::addLabel);
  }

  private Containerizer containerizer(ImageBuildRequest request, ImageReference target) {
    RegistryImage image = RegistryImage.named(target);
    Optional<RegistryCredentials> credentials = request.targetCredentials();
    credentials.ifPresent(c -> image.addCredential(c.username(), c.password()));
    logCredentialSource("target image " + target, credentials);

    Containerizer containerizer =
        Containerizer.to(image)
            .setToolName("canary-maven-plugin")
            .setAllowInsecureRegistries(request.allowInsecureRegistries())
            .setBaseImageLayersCache(request.baseImageCache());
    request.applicationLayersCache().ifPresent(containerizer::setApplicationLayersCache);
    for (String tag : request.extraTags()) {
      containerizer.withAdditionalTag(tag);
    }
    return containerizer;
  }

  private void logCredentialSource(String image, Optional<RegistryCredentials> credentials) {
    if (credentials.isPresent()) {
      log.info(
          "Using credentials of user "
              + credentials.get().username()
              + " for "
              + image
              + " from "
              + credentials.get().source());
    } else {
      log.debug("No credentials configured for " + image + ", so it is accessed anonymously");
    }
  }

  /** Returns the registries that the push talks to: the target's and a registry base image's. */
  private static Set<String> registries(ImageBuildRequest request, ImageReference target)
      throws ImageBuildException {
    Set<String> registries = new LinkedHashSet<>();
    registries.add(target.getRegistry());
    String from = request.from();
    if (!ImageReferences.SCRATCH.equals(from) && !ImageReferences.isTar(from)) {
      registries.add(ImageReferences.registryBase(from).getRegistry());
    }
    return registries;
  }

  private static List<String> allTags(ImageBuildRequest request) {
    Set<String> tags = new LinkedHashSet<>();
    tags.add(request.tag());
    tags.addAll(request.extraTags());
    return new ArrayList<>(tags);
  }
}
