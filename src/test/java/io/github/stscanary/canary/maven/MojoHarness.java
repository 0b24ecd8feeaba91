package io.github.stscanary.canary.maven;

import java.io.File;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Build;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.testing.AbstractMojoTestCase;
import org.apache.maven.project.MavenProject;

/**
 * Configures the plugin's mojos as Maven does, from the generated {@code META-INF/maven/plugin.xml}
 * and a session's user properties ({@code -Dname=value}), with maven-plugin-testing-harness.
 *
 * <p>The harness is a JUnit 3 {@code TestCase}, so no JUnit 5 engine runs it. JUnit 5 tests call
 * {@link #start()} and {@link #stop()} in place of its {@code setUp} and {@code tearDown}.
 */
final class MojoHarness extends AbstractMojoTestCase {

  static final String ARTIFACT_ID = "shop-web";
  static final String VERSION = "1.4.0";

  private final File basedir;

  MojoHarness(File basedir) {
    this.basedir = basedir;
  }

  void start() throws Exception {
    setUp();
  }

  void stop() throws Exception {
    tearDown();
  }

  /** Returns the mojo of {@code goal} with parameters set from plugin.xml and user properties. */
  @SuppressWarnings("unchecked")
  <T extends Mojo> T configure(String goal, Properties userProperties) throws Exception {
    MavenSession session = newMavenSession(project());
    session.getRequest().setUserProperties(userProperties);
    MojoExecution execution = newMojoExecution(goal);
    return (T) lookupConfiguredMojo(session, execution);
  }

  /** Returns {@code shop-web} 1.4.0 in the harness's base directory, with the default build. */
  MavenProject project() {
    MavenProject project = new MavenProject();
    project.setGroupId("io.github.stscanary.example");
    project.setArtifactId(ARTIFACT_ID);
    project.setVersion(VERSION);
    project.setFile(new File(basedir, "pom.xml"));
    Build build = new Build();
    build.setDirectory(new File(basedir, "target").getPath());
    project.setBuild(build);
    return project;
  }
}
