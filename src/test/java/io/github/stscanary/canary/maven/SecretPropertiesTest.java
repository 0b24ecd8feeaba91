package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.junit.jupiter.api.Test;

class SecretPropertiesTest {

  private static final String PROPERTY = "canary.secret-properties-test";

  @Test
  void pomValueWins() {
    assertThat(SecretProperties.resolve("from-pom", session("from-cli"), PROPERTY))
        .isEqualTo("from-pom");
  }

  @Test
  void userPropertyUsedWhenPomUnset() {
    assertThat(SecretProperties.resolve(null, session("from-cli"), PROPERTY)).isEqualTo("from-cli");
  }

  @Test
  void blankValuesCountAsUnset() {
    assertThat(SecretProperties.resolve(" ", session(" "), PROPERTY)).isNull();
  }

  @SuppressWarnings("deprecation")
  private static MavenSession session(String userValue) {
    Properties properties = new Properties();
    properties.setProperty(PROPERTY, userValue);
    MavenExecutionRequest request =
        new DefaultMavenExecutionRequest().setUserProperties(properties);
    return new MavenSession(null, null, request, new DefaultMavenExecutionResult());
  }
}
