package io.github.stscanary.canary.image;

import java.util.List;

/**
 * The pushed image as the registry stores it.
 *
 * @param image full reference with the main tag, for example {@code
 *     127.0.0.1:5000/library/version-test:1.0.0}
 * @param digest manifest digest, {@code sha256:...}; pulling {@code repository@digest} returns
 *     exactly this image
 * @param imageId digest of the container configuration, which Docker shows as the image ID
 * @param tags the main tag followed by the extra tags, all pointing at {@code digest}
 * @param manifestPushed false when the registry already had this manifest under the tag, so nothing
 *     changed
 * @param reusedBlobs layers and configuration blobs that the registry already had and jib did not
 *     upload again
 */
public record ImageBuildResult(
    String image,
    String digest,
    String imageId,
    List<String> tags,
    boolean manifestPushed,
    int reusedBlobs) {

  public ImageBuildResult {
    tags = List.copyOf(tags);
  }

  /** Returns the record that {@code canary:build} writes for the goals that deploy the image. */
  public ImageRecord toRecord() {
    return new ImageRecord(image, digest, tags, imageId);
  }
}
