package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.stscanary.canary.verify.VerifyRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the parameters of canary:verify, and canary.verify on deploy and promote. */
class VerifyMojoTest {

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
  void defaultsBuildRequestThroughServiceProxy() throws Exception {
    VerifyMojo mojo = harness.configure("verify", new Properties());

    VerifyRequest request = mojo.verifyRequest();

    assertThat(request.statefulSet()).isEqualTo(MojoHarness.ARTIFACT_ID);
    assertThat(request.serviceName()).isNull();
    assertThat(request.servicePort()).isNull();
    assertThat(request.path()).isEqualTo("/version.html");
    assertThat(request.requests()).isEqualTo(50);
    assertThat(request.url()).isNull();
    assertThat(request.expectCanary()).isNull();
    assertThat(request.expectStable()).isNull();
    assertThat(request.settledOnCanary()).isFalse();
    assertThat(request.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(request.timeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void propertiesSetRequest() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.serviceName", "web-public");
    properties.setProperty("canary.servicePort", "http");
    properties.setProperty("canary.verifyPath", "/health?full=1");
    properties.setProperty("canary.verifyRequests", "20");
    properties.setProperty("canary.verifyUrl", "http://127.0.0.1:30080/version.html");
    properties.setProperty("canary.expectCanary", "This is V2");
    properties.setProperty("canary.expectStable", "This is V1");
    properties.setProperty("canary.verifyTimeout", "45s");
    VerifyMojo mojo = harness.configure("verify", properties);

    VerifyRequest request = mojo.verifyRequest();

    assertThat(request.serviceName()).isEqualTo("web-public");
    assertThat(request.servicePort()).isEqualTo("http");
    assertThat(request.path()).isEqualTo("/health?full=1");
    assertThat(request.requests()).isEqualTo(20);
    assertThat(request.url()).isEqualTo(URI.create("http://127.0.0.1:30080/version.html"));
    assertThat(request.expectCanary().pattern()).isEqualTo("This is V2");
    assertThat(request.expectStable().pattern()).isEqualTo("This is V1");
    assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void invalidPatternRejected() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.expectStable", "V[1");
    VerifyMojo mojo = harness.configure("verify", properties);

    assertThatThrownBy(mojo::verifyRequest)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid regular expression in canary.expectStable:");
  }

  @Test
  void invalidPatternFailsBeforeConnecting() throws Exception {
    Properties properties = missingKubeconfig();
    properties.setProperty("canary.expectStable", "V[1");
    VerifyMojo mojo = harness.configure("verify", properties);
    mojo.setLog(new RecordingLog());

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Invalid regular expression in canary.expectStable:");
  }

  @Test
  void deployWithoutVerifyIgnoresVerifyParameters() throws Exception {
    Properties properties = missingKubeconfig();
    properties.setProperty("canary.partition", "3");
    properties.setProperty("canary.expectStable", "V[1");
    DeployMojo mojo = harness.configure("deploy", properties);
    mojo.setLog(new RecordingLog());

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Kubeconfig file not found:");
  }

  @Test
  void skipReturnsWithoutConnecting() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.skip", "true");
    properties.setProperty("canary.kubeconfig", basedir.resolve("missing").toString());
    VerifyMojo mojo = harness.configure("verify", properties);
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);

    mojo.execute();

    assertThat(log.lines()).containsExactly("[info] Skipping canary:verify (canary.skip=true)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "promote"})
  void verifyIsOffByDefault(String goal) throws Exception {
    AbstractVerifyingMojo mojo = harness.configure(goal, new Properties());

    assertThat(verify(mojo)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy", "promote"})
  void verifyPropertyTurnsCheckOn(String goal) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("canary.verify", "true");
    properties.setProperty("canary.expectCanary", "This is V2");

    AbstractVerifyingMojo mojo = harness.configure(goal, properties);

    assertThat(verify(mojo)).isTrue();
    assertThat(mojo.verifyRequest().expectCanary().pattern()).isEqualTo("This is V2");
  }

  // Opening this kubeconfig fails the goal, so a failure with another message came before it.
  private Properties missingKubeconfig() {
    Properties properties = new Properties();
    properties.setProperty("canary.kubeconfig", basedir.resolve("missing").toString());
    return properties;
  }

  private static boolean verify(AbstractVerifyingMojo mojo) {
    return mojo instanceof DeployMojo deploy ? deploy.verify : ((PromoteMojo) mojo).verify;
  }
}
