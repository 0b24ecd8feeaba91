package io.github.stscanary.canary.maven;

import io.github.stscanary.canary.image.ImageRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;

/**
 * Picks the image that deploy and apply put into the pod template, from {@code canary.image} and
 * the record that {@code canary:build} wrote.
 *
 * <p>{@code canary.image} is shared with {@code canary:build}, where it names the repository
 * without a tag. So a reference without tag or digest means "the image that build pushed to this
 * repository": the record's image when its repository matches.
 */
final class DeployImages {

  /** The user property of the {@code image} parameter. */
  static final String IMAGE_PROPERTY = "canary.image";

  private DeployImages() {}

  /**
   * Returns {@code -Dcanary.image} from the command line when it is set, else the {@code image}
   * parameter. Maven lets a POM's {@code <image>} override the user property, but that element
   * names the repository that {@code canary:build} pushes to. Without this, a tagged {@code
   * -Dcanary.image} would be ignored whenever the POM configures the build.
   */
  static String requested(String parameter, MavenSession session) {
    String property =
        session == null ? null : session.getUserProperties().getProperty(IMAGE_PROPERTY);
    return property == null || property.isBlank() ? parameter : property;
  }

  /**
   * Returns the image to deploy, or empty when neither the parameter nor the record names one.
   *
   * @throws IOException when the record exists but cannot be read
   */
  static Optional<String> resolve(String image, File record, Log log) throws IOException {
    Optional<ImageRecord> recorded = readRecord(record);
    if (image == null || image.isBlank()) {
      recorded.ifPresent(found -> log.info("Image from " + record + ": " + found.image()));
      return recorded.map(ImageRecord::image);
    }
    String trimmed = image.trim();
    if (hasTagOrDigest(trimmed)) {
      return Optional.of(trimmed);
    }
    if (recorded.isPresent() && repository(recorded.get().image()).equals(trimmed)) {
      log.info("Image from " + record + ": " + recorded.get().image());
      return Optional.of(recorded.get().image());
    }
    throw new IllegalArgumentException(
        "Image '"
            + trimmed
            + "' has no tag or digest, and "
            + record
            + " records no image of that repository. Run canary:build first, or set"
            + " -Dcanary.image="
            + trimmed
            + ":TAG.");
  }

  /** Returns whether the last path segment of {@code image} carries a {@code :tag} or digest. */
  static boolean hasTagOrDigest(String image) {
    if (image.contains("@")) {
      return true;
    }
    String lastSegment = image.substring(image.lastIndexOf('/') + 1);
    return lastSegment.contains(":");
  }

  /** Returns {@code image} without its tag and digest. */
  static String repository(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = withoutDigest.lastIndexOf('/');
    int colon = withoutDigest.lastIndexOf(':');
    return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
  }

  private static Optional<ImageRecord> readRecord(File record) throws IOException {
    if (record == null || !Files.isRegularFile(record.toPath())) {
      return Optional.empty();
    }
    return Optional.of(ImageRecord.read(record.toPath()));
  }
}
