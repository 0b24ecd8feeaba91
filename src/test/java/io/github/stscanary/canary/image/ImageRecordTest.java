package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRecordTest {

  private static final String DIGEST =
      "sha256:8c5c483114a37bb6b30f3e977a05d1fd7fad6bdb98146c44f97d0e69db5a5c7c";

  @TempDir Path directory;

  @Test
  void writeThenReadReturnsEqualRecord() throws IOException {
    ImageRecord record =
        new ImageRecord(
            "127.0.0.1:5000/library/version-test:1.0.0",
            DIGEST,
            List.of("1.0.0", "latest"),
            "sha256:67f212a40719ab6f30f013f9bc6de66bc0259c568a891d5ea625f764b22797bd");
    Path file = directory.resolve("canary/image.json");

    record.write(file);

    assertThat(ImageRecord.read(file)).isEqualTo(record);
  }

  @Test
  void writeStoresNamedJsonFields() throws IOException {
    Path file = directory.resolve("image.json");

    new ImageRecord("registry/repo:1", DIGEST, List.of("1"), "sha256:abc").write(file);

    String json = Files.readString(file);
    assertThat(json).contains("\"image\" : \"registry/repo:1\"");
    assertThat(json).contains("\"digest\" : \"" + DIGEST + "\"");
    assertThat(json).contains("\"tags\" : [ \"1\" ]");
    assertThat(json).contains("\"imageId\" : \"sha256:abc\"");
  }

  @Test
  void readIgnoresUnknownFields() throws IOException {
    Path file = directory.resolve("image.json");
    Files.writeString(
        file, "{\"image\":\"r/x:1\",\"digest\":\"" + DIGEST + "\",\"pushedAt\":\"yesterday\"}");

    ImageRecord record = ImageRecord.read(file);

    assertThat(record.image()).isEqualTo("r/x:1");
    assertThat(record.tags()).isEmpty();
  }

  @Test
  void readMissingFileSaysToRunBuild() {
    Path file = directory.resolve("missing.json");

    assertThatThrownBy(() -> ImageRecord.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("mvn canary:build");
  }

  @Test
  void readWithoutDigestNamesTheField() throws IOException {
    Path file = directory.resolve("image.json");
    Files.writeString(file, "{\"image\":\"r/x:1\"}");

    assertThatThrownBy(() -> ImageRecord.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing 'digest'");
  }

  @Test
  void readInvalidJsonFailsWithFileName() throws IOException {
    Path file = directory.resolve("image.json");
    Files.writeString(file, "{not json");

    assertThatThrownBy(() -> ImageRecord.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Invalid image record " + file);
  }
}
