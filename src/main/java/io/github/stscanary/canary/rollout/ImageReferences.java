package io.github.stscanary.canary.rollout;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;

/** Checks image references before they go into a pod template. */
final class ImageReferences {

  private ImageReferences() {}

  /** Rejects a reference that a container runtime could not pull, naming the expected form. */
  static void requireValid(String image) {
    if (image == null || image.isBlank()) {
      throw new RolloutException(
          "No image to deploy. Set -Dcanary.image=REGISTRY/REPOSITORY:TAG, or run canary:build"
              + " first so that target/canary/image.json names the image.");
    }
    try {
      ImageReference.parse(image);
    } catch (InvalidImageReferenceException e) {
      throw new RolloutException(
          "Invalid image reference '"
              + image
              + "': expected [REGISTRY/]REPOSITORY[:TAG][@sha256:DIGEST], for example"
              + " 127.0.0.1:5000/library/version-test:v2. Fix -Dcanary.image or <image>.");
    }
  }
}
