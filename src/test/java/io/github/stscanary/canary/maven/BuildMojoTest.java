package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.image.ImageBuildResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildMojoTest {

  private static final String DIGEST =
      "sha256:8c5c483114a37bb6b30f3e977a05d1fd7fad6bdb98146c44f97d0e69db5a5c7c";

  @Test
  void outcomeNamesImageAndDigest() {
    ImageBuildResult result =
        new ImageBuildResult("r/version-test:1.0.0", DIGEST, "sha256:1", List.of("1.0.0"), true, 0);

    assertThat(BuildMojo.outcome(result))
        .isEqualTo("Pushed r/version-test:1.0.0 (digest " + DIGEST + ")");
  }

  @Test
  void outcomeListsExtraTags() {
    ImageBuildResult result =
        new ImageBuildResult(
            "r/version-test:1.0.0", DIGEST, "sha256:1", List.of("1.0.0", "latest", "v1"), true, 2);

    assertThat(BuildMojo.outcome(result)).endsWith("), also tagged latest, v1");
  }
}
