package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the builder's validation, which fails before any network access. */
class ImageBuilderTest {

  @TempDir Path directory;

  private Path content;
  private final RecordingLog log = new RecordingLog();

  @BeforeEach
  void createContent() throws IOException {
    content = Files.createDirectories(directory.resolve("html"));
    Files.writeString(content.resolve("version.html"), "This is V1");
  }

  private ImageBuildRequest.Builder request() {
    return ImageBuildRequest.builder()
        .from("scratch")
        .contentDirectory(content)
        .image("127.0.0.1:1/library/version-test")
        .tag("1.0.0")
        .baseImageCache(directory.resolve("cache"))
        .offline(true);
  }

  private ImageBuildException buildFailure(ImageBuildRequest request) {
    ImageBuildException failure =
        catchThrowableOfType(ImageBuildException.class, () -> new ImageBuilder(log).build(request));
    assertThat(failure).as("build failure").isNotNull();
    return failure;
  }

  @Test
  void imageWithTagIsInvalidReference() {
    ImageBuildException failure =
        buildFailure(request().image("127.0.0.1:5000/library/version-test:1.0").build());

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_REFERENCE);
    assertThat(failure)
        .hasMessageContaining("'127.0.0.1:5000/library/version-test:1.0'")
        .hasMessageContaining("-Dcanary.image")
        .hasMessageContaining("Expected [registry[:port]/]repository without tag");
  }

  @Test
  void uppercaseRepositoryIsInvalidReference() {
    ImageBuildException failure = buildFailure(request().image("127.0.0.1:5000/Version").build());

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_REFERENCE);
    assertThat(failure).hasMessageContaining("<image>");
  }

  @Test
  void invalidTagNamesTagParameter() {
    ImageBuildException failure = buildFailure(request().tag("-v1").build());

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_REFERENCE);
    assertThat(failure).hasMessageContaining("'-v1'").hasMessageContaining("-Dcanary.tag");
  }

  @Test
  void invalidExtraTagNamesExtraTagsParameter() {
    ImageBuildException failure =
        buildFailure(request().extraTags(List.of("ok", "not ok")).build());

    assertThat(failure).hasMessageContaining("'not ok'").hasMessageContaining("<extraTags>");
  }

  @Test
  void invalidBaseReferenceShowsExpectedForms() {
    ImageBuildException failure = buildFailure(request().from("docker://nginx").build());

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_REFERENCE);
    assertThat(failure)
        .hasMessageContaining("'docker://nginx'")
        .hasMessageContaining("-Dcanary.from")
        .hasMessageContaining("tar:///absolute/image.tar");
  }

  @Test
  void offlineFailsBeforeNetwork() {
    ImageBuildException failure = buildFailure(request().build());

    assertThat(failure.reason()).isEqualTo(Reason.OFFLINE);
    assertThat(failure)
        .hasMessageContaining("127.0.0.1:1/library/version-test:1.0.0")
        .hasMessageContaining("offline");
  }

  @Test
  void missingContentDirectoryNamesParameter() {
    Path missing = directory.resolve("missing");

    ImageBuildException failure =
        buildFailure(request().offline(false).contentDirectory(missing).build());

    assertThat(failure.reason()).isEqualTo(Reason.CONTENT_NOT_FOUND);
    assertThat(failure)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("-Dcanary.contentDirectory");
  }

  @Test
  void missingTarBaseIsBaseImageNotFound() {
    ImageBuildException failure =
        buildFailure(
            request()
                .offline(false)
                .from("tar://base/missing.tar")
                .baseDirectory(directory)
                .build());

    assertThat(failure.reason()).isEqualTo(Reason.BASE_IMAGE_NOT_FOUND);
    assertThat(failure).hasMessageContaining(directory.resolve("base/missing.tar").toString());
  }

  @Test
  void relativeTargetDirectoryIsRejected() {
    ImageBuildException failure =
        buildFailure(request().offline(false).targetDirectory("html").build());

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(failure).hasMessageContaining("-Dcanary.targetDirectory");
  }

  @Test
  void allowInsecureRegistriesLogsWarning() {
    buildFailure(request().allowInsecureRegistries(true).build());

    assertThat(log.lines).anyMatch(line -> line.startsWith("WARN allowInsecureRegistries is true"));
  }

  @Test
  void secureBuildLogsNoInsecureWarning() {
    buildFailure(request().build());

    assertThat(log.lines).noneMatch(line -> line.contains("allowInsecureRegistries"));
  }

  @Test
  void contentLayerHasFixedPermissionsAndTimes() throws IOException {
    Path nested = Files.createDirectories(content.resolve("css"));
    Files.writeString(nested.resolve("site.css"), "p {}");
    Files.setPosixFilePermissions(
        content.resolve("version.html"), PosixFilePermissions.fromString("rwx------"));

    FileEntriesLayer layer =
        ImageBuilder.contentLayer(content, AbsoluteUnixPath.get("/usr/share/nginx/html"));

    Map<String, String> permissions =
        layer.getEntries().stream()
            .collect(
                Collectors.toMap(
                    entry -> entry.getExtractionPath().toString(),
                    entry -> entry.getPermissions().toOctalString()));
    assertThat(permissions)
        .containsEntry("/usr/share/nginx/html", "755")
        .containsEntry("/usr/share/nginx/html/css", "755")
        .containsEntry("/usr/share/nginx/html/css/site.css", "644")
        .containsEntry("/usr/share/nginx/html/version.html", "644");
    assertThat(layer.getEntries())
        .extracting(FileEntry::getModificationTime)
        .containsOnly(FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
  }
}
