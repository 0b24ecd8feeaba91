package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusMojoTest {

  @TempDir Path basedir;

  private MojoHarness harness;

  @BeforeEach
  void startHarness() throws Exception {
    harness = new MojoHarness(basedir.toFile());
    harness.start();
  }

  @AfterEach
  void stopHarness() throws Exception {
    harness.stop();
  }

  @Test
  void outputDefaultsToText() throws Exception {
    StatusMojo mojo = harness.configure("status", new Properties());

    assertThat(mojo.output).isEqualTo("text");
    assertThat(mojo.container).isNull();
  }

  @Test
  void propertiesSetOutputAndContainer() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.output", "json");
    properties.setProperty("canary.container", "app");

    StatusMojo mojo = harness.configure("status", properties);

    assertThat(mojo.output).isEqualTo("json");
    assertThat(mojo.container).isEqualTo("app");
  }

  @Test
  void unknownOutputRejectedBeforeAnyRequest() throws Exception {
    // Nothing listens on port 1, so a request would fail with a different message.
    Path kubeconfig = basedir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: local",
            "  cluster:",
            "    server: https://127.0.0.1:1",
            "contexts:",
            "- name: local",
            "  context:",
            "    cluster: local",
            "    user: developer",
            "current-context: local",
            "users:",
            "- name: developer",
            "  user:",
            "    token: not-a-real-token",
            ""));
    Properties properties = new Properties();
    properties.setProperty("canary.output", "yaml");
    properties.setProperty("canary.kubeconfig", kubeconfig.toString());
    StatusMojo mojo = harness.configure("status", properties);
    mojo.setLog(new RecordingLog());

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessage("Invalid output 'yaml': expected text or json. Fix -Dcanary.output.");
  }
}
