package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildMojoTest {

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
    BuildMojo mojo = harness.configure("build", new Properties());

    assertThat(mojo.from).isEqualTo("nginx:1.28.0-alpine");
    assertThat(mojo.contentDirectory).isEqualTo(basedir.resolve("src/main/html").toFile());
    assertThat(mojo.targetDirectory).isEqualTo("/usr/share/nginx/html/");
    assertThat(mojo.image).isNull();
    assertThat(mojo.tag).isEqualTo(MojoHarness.VERSION);
    assertThat(mojo.extraTags).isNullOrEmpty();
    assertThat(mojo.allowInsecureRegistries).isFalse();
    assertThat(mojo.imageRecord).isEqualTo(basedir.resolve("target/canary/image.json").toFile());
    assertThat(mojo.skip).isFalse();
    assertThat(mojo.settingsDecrypter).isNotNull();
    assertThat(mojo.session).isNotNull();
    assertThat(mojo.project).isNotNull();
  }

  @Test
  void propertiesSetParameters() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.from", "127.0.0.1:5000/library/nginx:1.28.0-alpine");
    properties.setProperty("canary.contentDirectory", "/work/shop/html");
    properties.setProperty("canary.targetDirectory", "/srv/www/");
    properties.setProperty("canary.image", "127.0.0.1:5000/shop/web");
    properties.setProperty("canary.tag", "v2");
    properties.setProperty("canary.extraTags", "latest,stable");
    properties.setProperty("canary.username", "ci");
    properties.setProperty("canary.caFile", "/etc/ssl/registry-ca.pem");
    properties.setProperty("canary.allowInsecureRegistries", "true");
    properties.setProperty("canary.entrypoint", "nginx,-g,daemon off;");
    properties.setProperty("canary.ports", "80,443");
    properties.setProperty("canary.imageRecord", "/tmp/image.json");

    BuildMojo mojo = harness.configure("build", properties);

    assertThat(mojo.from).isEqualTo("127.0.0.1:5000/library/nginx:1.28.0-alpine");
    assertThat(mojo.contentDirectory).isEqualTo(new File("/work/shop/html"));
    assertThat(mojo.targetDirectory).isEqualTo("/srv/www/");
    assertThat(mojo.image).isEqualTo("127.0.0.1:5000/shop/web");
    assertThat(mojo.tag).isEqualTo("v2");
    assertThat(mojo.extraTags).containsExactly("latest", "stable");
    assertThat(mojo.username).isEqualTo("ci");
    assertThat(mojo.caFile).isEqualTo(new File("/etc/ssl/registry-ca.pem"));
    assertThat(mojo.allowInsecureRegistries).isTrue();
    assertThat(mojo.entrypoint).containsExactly("nginx", "-g", "daemon off;");
    assertThat(mojo.ports).containsExactly(80, 443);
    assertThat(mojo.imageRecord).isEqualTo(new File("/tmp/image.json"));
  }

  @Test
  void skipReturnsWithoutBuilding() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.skip", "true");
    // Without an image the build fails at once, so a goal that returns normally did not build.
    BuildMojo mojo = harness.configure("build", properties);
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);

    mojo.execute();

    assertThat(log.lines()).containsExactly("[info] Skipping canary:build (canary.skip=true)");
  }

  @Test
  void missingImageFailsBeforeBuilding() throws Exception {
    BuildMojo mojo = harness.configure("build", new Properties());
    mojo.setLog(new RecordingLog());

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessage(
            "No image to push: set <image> or -Dcanary.image to a repository without tag, for"
                + " example 127.0.0.1:5000/library/version-test.");
  }
}
