package io.github.stscanary.canary.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image that the last {@code canary:build} pushed, stored as JSON (by default in {@code
 * target/canary/image.json}) so that later goals deploy exactly that image.
 *
 * @param image full reference with tag, for example {@code
 *     127.0.0.1:5000/library/version-test:1.0.0}
 * @param digest manifest digest, {@code sha256:...}
 * @param tags every tag pushed for this build, the main tag first
 * @param imageId digest of the container configuration
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRecord(String image, String digest, List<String> tags, String imageId) {

  /** Default location relative to the project's build directory. */
  public static final String DEFAULT_FILE = "canary/image.json";

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  public ImageRecord {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * Reads a record written by {@link #write(Path)}.
   *
   * @throws IOException if the file is missing, is not valid JSON, or lacks {@code image} or {@code
   *     digest}. The message names {@code mvn canary:build} as the fix.
   */
  public static ImageRecord read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "Image record " + file + " not found. Run mvn canary:build first to build and push it.");
    }
    ImageRecord record;
    try (InputStream in = Files.newInputStream(file)) {
      record = MAPPER.readValue(in, ImageRecord.class);
    } catch (JacksonException e) {
      throw new IOException(
          "Invalid image record " + file + ": " + e.getOriginalMessage() + rebuildHint(), e);
    }
    requireField(file, "image", record.image());
    requireField(file, "digest", record.digest());
    return record;
  }

  /** Writes the record as JSON, creating the parent directories. */
  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      MAPPER.writeValue(out, this);
    }
  }

  private static void requireField(Path file, String name, String value) throws IOException {
    if (value == null || value.isBlank()) {
      throw new IOException(
          "Invalid image record " + file + ": missing '" + name + "'" + rebuildHint());
    }
  }

  private static String rebuildHint() {
    return ". Run mvn canary:build to write it again.";
  }
}
