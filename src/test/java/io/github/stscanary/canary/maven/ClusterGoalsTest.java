package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the parameters and the skip that every goal talking to the cluster shares. */
class ClusterGoalsTest {

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

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "apply", "status", "promote", "rollback", "undeploy"})
  void connectionDefaults(String goal) throws Exception {
    AbstractClusterMojo mojo = harness.configure(goal, new Properties());

    assertThat(mojo.statefulSet).isEqualTo(MojoHarness.ARTIFACT_ID);
    assertThat(mojo.timeout).isEqualTo("5m");
    assertThat(mojo.requestTimeout).isEqualTo("30s");
    assertThat(mojo.skip).isFalse();
    assertThat(mojo.kubeconfig).isNull();
    assertThat(mojo.context).isNull();
    assertThat(mojo.namespace).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "apply", "status", "promote", "rollback", "undeploy"})
  void connectionPropertiesSetParameters(String goal) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.kubeconfig", "/home/dev/.kube/dev-config");
    properties.setProperty("canary.context", "kind-dev");
    properties.setProperty("canary.namespace", "shop");
    properties.setProperty("canary.statefulSet", "web");
    properties.setProperty("canary.timeout", "10m");
    properties.setProperty("canary.requestTimeout", "5s");

    AbstractClusterMojo mojo = harness.configure(goal, properties);

    assertThat(mojo.kubeconfig).isEqualTo(new File("/home/dev/.kube/dev-config"));
    assertThat(mojo.context).isEqualTo("kind-dev");
    assertThat(mojo.namespace).isEqualTo("shop");
    assertThat(mojo.statefulSet).isEqualTo("web");
    assertThat(mojo.timeout).isEqualTo("10m");
    assertThat(mojo.requestTimeout).isEqualTo("5s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "apply", "status", "promote", "rollback", "undeploy"})
  void skipReturnsWithoutConnecting(String goal) throws Exception {
    AbstractClusterMojo mojo = harness.configure(goal, missingKubeconfig("true"));
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);

    mojo.execute();

    assertThat(mojo.skip).isTrue();
    assertThat(log.lines())
        .containsExactly("[info] Skipping canary:" + goal + " (canary.skip=true)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "apply", "status", "promote", "rollback", "undeploy"})
  void withoutSkipGoalConnects(String goal) throws Exception {
    AbstractClusterMojo mojo = harness.configure(goal, missingKubeconfig("false"));
    mojo.setLog(new RecordingLog());

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Kubeconfig file not found: " + basedir.resolve("missing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "apply", "status", "promote", "rollback", "undeploy"})
  void invalidTimeoutFailsGoal(String goal) throws Exception {
    Properties properties = missingKubeconfig("false");
    properties.setProperty("canary.requestTimeout", "soon");
    AbstractClusterMojo mojo = harness.configure(goal, properties);
    mojo.setLog(new RecordingLog());

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Invalid duration 'soon' for canary.requestTimeout:");
  }

  // Opening this kubeconfig fails the goal, so a goal that returns normally did not connect. The
  // partition is valid, because deploy rejects a missing one before it connects.
  private Properties missingKubeconfig(String skip) {
    Properties properties = new Properties();
    properties.setProperty("canary.skip", skip);
    properties.setProperty("canary.partition", "1");
    properties.setProperty("canary.kubeconfig", basedir.resolve("missing").toString());
    return properties;
  }
}
