package io.github.stscanary.canary.rollout;

/**
 * Checks that an image can be pulled before a canary puts it into a pod template, for example by
 * asking its registry for the manifest.
 */
@FunctionalInterface
public interface ImageCheck {

  /** A check that accepts every image, for callers that skip it. */
  ImageCheck NONE = image -> {};

  /**
   * Returns normally when {@code image} exists.
   *
   * @throws RolloutException naming the image, the cause and the fix when it does not, or when the
   *     check itself failed
   */
  void requireExists(String image);
}
