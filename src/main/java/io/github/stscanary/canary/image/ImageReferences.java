package io.github.stscanary.canary.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Parses and validates the base and target references of an {@link ImageBuildRequest}. */
public final class ImageReferences {

  static final String SCRATCH = "scratch";
  static final String TAR_PREFIX = "tar://";
  private static final String REGISTRY_PREFIX = "registry://";

  private static final String TARGET_FORM =
      "Expected [registry[:port]/]repository without tag, for example"
          + " 127.0.0.1:5000/library/version-test; set the tag with <tag> (-Dcanary.tag).";
  private static final String BASE_FORM =
      "Expected scratch, tar:///absolute/image.tar, tar://relative/image.tar or"
          + " [registry[:port]/]repository[:tag][@sha256:digest], for example nginx:1.28.0-alpine.";
  private static final String TAG_FORM =
      "A tag is 1 to 128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'.";

  private ImageReferences() {}

  /**
   * Returns the registry host (with port, if any) that {@code reference} points to, as jib-core
   * resolves it: {@code registry-1.docker.io} for Docker Hub images. Returns empty for {@code
   * scratch}, {@code tar://} bases and invalid references, for which no credentials apply.
   */
  public static Optional<String> registryOf(String reference) {
    if (reference == null || SCRATCH.equals(reference) || isTar(reference)) {
      return Optional.empty();
    }
    try {
      return Optional.of(registryBase(reference).getRegistry());
    } catch (ImageBuildException e) {
      return Optional.empty();
    }
  }

  /** Returns {@code image:tag} after checking that {@code image} carries no tag of its own. */
  static ImageReference target(String image, String tag) throws ImageBuildException {
    String lastComponent = image.substring(image.lastIndexOf('/') + 1);
    if (image.isBlank() || lastComponent.contains(":") || lastComponent.contains("@")) {
      throw invalidTarget(image, null);
    }
    requireValidTag(tag, "<tag> (-Dcanary.tag)");
    try {
      return ImageReference.parse(image + ":" + tag);
    } catch (InvalidImageReferenceException e) {
      throw invalidTarget(image, e);
    }
  }

  static void requireValidTags(List<String> tags) throws ImageBuildException {
    for (String tag : tags) {
      requireValidTag(tag, "<extraTags> (-Dcanary.extraTags)");
    }
  }

  /** Returns true for a base given as {@code tar://path}. */
  static boolean isTar(String from) {
    return from.startsWith(TAR_PREFIX);
  }

  /** Resolves the path of a {@code tar://} base; relative paths against {@code baseDirectory}. */
  static Path tarPath(String from, Path baseDirectory) throws ImageBuildException {
    String path = from.substring(TAR_PREFIX.length());
    if (path.isBlank()) {
      throw invalidBase(from, null);
    }
    return baseDirectory.resolve(path).normalize();
  }

  /** Parses a registry base reference, accepting jib's optional {@code registry://} prefix. */
  static ImageReference registryBase(String from) throws ImageBuildException {
    if (from.contains("://") && !from.startsWith(REGISTRY_PREFIX)) {
      throw invalidBase(from, null);
    }
    String reference =
        from.startsWith(REGISTRY_PREFIX) ? from.substring(REGISTRY_PREFIX.length()) : from;
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw invalidBase(from, e);
    }
  }

  private static void requireValidTag(String tag, String setting) throws ImageBuildException {
    if (!ImageReference.isValidTag(tag)) {
      throw new ImageBuildException(
          Reason.INVALID_REFERENCE, "Invalid tag '" + tag + "' in " + setting + ". " + TAG_FORM);
    }
  }

  private static ImageBuildException invalidTarget(String image, Throwable cause) {
    return new ImageBuildException(
        Reason.INVALID_REFERENCE,
        "Invalid image reference '" + image + "' in <image> (-Dcanary.image). " + TARGET_FORM,
        cause);
  }

  private static ImageBuildException invalidBase(String from, Throwable cause) {
    return new ImageBuildException(
        Reason.INVALID_REFERENCE,
        "Invalid base image reference '" + from + "' in <from> (-Dcanary.from). " + BASE_FORM,
        cause);
  }
}
