package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployMojoTest {

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
  void defaultsWithoutProperties() throws Exception {
    DeployMojo mojo = harness.configure("deploy", new Properties());

    assertThat(mojo.statefulSet).isEqualTo(MojoHarness.ARTIFACT_ID);
    assertThat(mojo.timeout).isEqualTo("5m");
    assertThat(mojo.requestTimeout).isEqualTo("30s");
    assertThat(mojo.skip).isFalse();
    assertThat(mojo.imageRecord).isEqualTo(basedir.resolve("target/canary/image.json").toFile());
    assertThat(mojo.partition).isNull();
    assertThat(mojo.image).isNull();
    assertThat(mojo.container).isNull();
    assertThat(mojo.kubeconfig).isNull();
    assertThat(mojo.context).isNull();
    assertThat(mojo.namespace).isNull();
    assertThat(mojo.session).isNotNull();
  }

  @Test
  void propertiesSetParameters() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.partition", "3");
    properties.setProperty("canary.image", "127.0.0.1:5000/shop/web:v2");
    properties.setProperty("canary.container", "app");
    properties.setProperty("canary.namespace", "shop");
    properties.setProperty("canary.context", "kind-dev");
    properties.setProperty("canary.kubeconfig", "/home/dev/.kube/dev-config");
    properties.setProperty("canary.statefulSet", "web");
    properties.setProperty("canary.timeout", "10m");
    properties.setProperty("canary.requestTimeout", "5s");
    properties.setProperty("canary.imageRecord", "/tmp/image.json");

    DeployMojo mojo = harness.configure("deploy", properties);

    assertThat(mojo.partition).isEqualTo("3");
    assertThat(mojo.image).isEqualTo("127.0.0.1:5000/shop/web:v2");
    assertThat(mojo.container).isEqualTo("app");
    assertThat(mojo.namespace).isEqualTo("shop");
    assertThat(mojo.context).isEqualTo("kind-dev");
    assertThat(mojo.kubeconfig).isEqualTo(new File("/home/dev/.kube/dev-config"));
    assertThat(mojo.statefulSet).isEqualTo("web");
    assertThat(mojo.timeout).isEqualTo("10m");
    assertThat(mojo.requestTimeout).isEqualTo("5s");
    assertThat(mojo.imageRecord).isEqualTo(new File("/tmp/image.json"));
  }

  @Test
  void shortPartitionReachesResolver() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("partition", "2");

    DeployMojo mojo = harness.configure("deploy", properties);

    assertThat(mojo.partition).isNull();
    assertThat(Partitions.resolve(mojo.partition, mojo.session)).isEqualTo(2);
  }
}
