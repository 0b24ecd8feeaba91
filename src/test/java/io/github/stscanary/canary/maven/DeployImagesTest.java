package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.junit.jupiter.api.Test;

class DeployImagesTest {

  private static final String REPOSITORY = "127.0.0.1:5000/shop/web";

  @Test
  void requestedPrefersCommandLineOverPom() {
    assertThat(DeployImages.requested(REPOSITORY, session(REPOSITORY + ":v2")))
        .isEqualTo(REPOSITORY + ":v2");
  }

  @Test
  void requestedFallsBackToParameter() {
    assertThat(DeployImages.requested(REPOSITORY, session(null))).isEqualTo(REPOSITORY);
  }

  @Test
  void requestedIgnoresBlankProperty() {
    assertThat(DeployImages.requested(REPOSITORY, session(" "))).isEqualTo(REPOSITORY);
  }

  @Test
  void requestedWithoutSessionUsesParameter() {
    assertThat(DeployImages.requested(REPOSITORY, null)).isEqualTo(REPOSITORY);
  }

  @SuppressWarnings("deprecation")
  private static MavenSession session(String image) {
    MavenExecutionRequest request = new DefaultMavenExecutionRequest();
    if (image != null) {
      request.getUserProperties().setProperty("canary.image", image);
    }
    return new MavenSession(null, null, request, new DefaultMavenExecutionResult());
  }
}
