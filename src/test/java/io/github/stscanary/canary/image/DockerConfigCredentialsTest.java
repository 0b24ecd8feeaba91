package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.stscanary.canary.image.ImageBuildException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {

  @TempDir Path directory;

  private final RecordingLog log = new RecordingLog();

  private Path writeConfig(String json) throws IOException {
    return Files.writeString(directory.resolve("config.json"), json);
  }

  private static String auth(String username, String password) {
    return Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findDecodesAuthEntryOfRegistry() throws Exception {
    Path config =
        writeConfig(
            "{\"auths\":{\"127.0.0.1:5443\":{\"auth\":\"" + auth("canary", "pa:ss") + "\"}}}");

    Optional<RegistryCredentials> found =
        new DockerConfigCredentials(config).find("127.0.0.1:5443", log);

    assertThat(found).isPresent();
    assertThat(found.get().username()).isEqualTo("canary");
    assertThat(found.get().password()).isEqualTo("pa:ss");
    assertThat(found.get().source()).isEqualTo("Docker config " + config);
  }

  @Test
  void findIgnoresOtherRegistries() throws Exception {
    Path config =
        writeConfig(
            "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("a", "b") + "\"}}}");

    assertThat(new DockerConfigCredentials(config).find("127.0.0.1:5443", log)).isEmpty();
  }

  @Test
  void findWithoutFileIsEmpty() throws Exception {
    Path missing = directory.resolve("missing.json");

    assertThat(new DockerConfigCredentials(missing).find("127.0.0.1:5443", log)).isEmpty();
  }

  @Test
  void findInInvalidJsonNamesFile() throws Exception {
    Path config = writeConfig("{\"auths\": [");

    assertThatThrownBy(() -> new DockerConfigCredentials(config).find("127.0.0.1:5443", log))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining(config.toString())
        .extracting(e -> ((ImageBuildException) e).reason())
        .isEqualTo(Reason.CREDENTIALS);
  }

  @Test
  void credentialsToStringHidesPassword() {
    RegistryCredentials credentials = new RegistryCredentials("canary", "s3cret", "test");

    assertThat(credentials.toString()).doesNotContain("s3cret").contains("canary");
  }
}
