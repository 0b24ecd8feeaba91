package io.github.stscanary.canary.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferencesTest {

  @Test
  void registryOfDockerHubImageIsRegistryOne() {
    assertThat(ImageReferences.registryOf("nginx:1.28.0-alpine")).contains("registry-1.docker.io");
  }

  @Test
  void registryOfLocalImageKeepsPort() {
    assertThat(ImageReferences.registryOf("127.0.0.1:5000/library/version-test"))
        .contains("127.0.0.1:5000");
  }

  @Test
  void registryOfScratchIsEmpty() {
    assertThat(ImageReferences.registryOf("scratch")).isEmpty();
  }

  @Test
  void registryOfTarBaseIsEmpty() {
    assertThat(ImageReferences.registryOf("tar://target/base.tar")).isEmpty();
  }
}
