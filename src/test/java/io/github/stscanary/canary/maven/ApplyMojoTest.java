package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyMojoTest {

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
    ApplyMojo mojo = harness.configure("apply", new Properties());

    assertThat(mojo.manifests).isEqualTo(basedir.resolve("src/main/k8s").toFile());
    assertThat(mojo.imageRecord).isEqualTo(basedir.resolve("target/canary/image.json").toFile());
    assertThat(mojo.image).isNull();
    assertThat(mojo.replicas).isEqualTo(3);
    assertThat(mojo.containerName).isEqualTo("app");
    assertThat(mojo.containerPort).isEqualTo(80);
    assertThat(mojo.serviceName).isNull();
    assertThat(mojo.serviceType).isEqualTo("ClusterIP");
    assertThat(mojo.nodePort).isNull();
    assertThat(mojo.labels).isNull();
    assertThat(mojo.project.getArtifactId()).isEqualTo(MojoHarness.ARTIFACT_ID);
    assertThat(mojo.session).isNotNull();
  }

  @Test
  void propertiesSetParameters() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.manifests", "/work/shop/k8s");
    properties.setProperty("canary.image", "127.0.0.1:5000/shop/web:v1");
    properties.setProperty("canary.imageRecord", "/tmp/image.json");
    properties.setProperty("canary.replicas", "5");
    properties.setProperty("canary.containerName", "web");
    properties.setProperty("canary.containerPort", "8080");
    properties.setProperty("canary.serviceName", "web-http");
    properties.setProperty("canary.serviceType", "NodePort");
    properties.setProperty("canary.nodePort", "30080");

    ApplyMojo mojo = harness.configure("apply", properties);

    assertThat(mojo.manifests).isEqualTo(new File("/work/shop/k8s"));
    assertThat(mojo.image).isEqualTo("127.0.0.1:5000/shop/web:v1");
    assertThat(mojo.imageRecord).isEqualTo(new File("/tmp/image.json"));
    assertThat(mojo.replicas).isEqualTo(5);
    assertThat(mojo.containerName).isEqualTo("web");
    assertThat(mojo.containerPort).isEqualTo(8080);
    assertThat(mojo.serviceName).isEqualTo("web-http");
    assertThat(mojo.serviceType).isEqualTo("NodePort");
    assertThat(mojo.nodePort).isEqualTo(30080);
  }
}
