package io.github.stscanary.canary.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class PartitionsTest {

  @Test
  void parameterAloneIsUsed() throws MojoFailureException {
    assertThat(Partitions.resolve("3", session(null))).isEqualTo(3);
  }

  @Test
  void shortPropertyAloneIsUsed() throws MojoFailureException {
    assertThat(Partitions.resolve(null, session("2"))).isEqualTo(2);
  }

  @Test
  void equalValuesAreAccepted() throws MojoFailureException {
    assertThat(Partitions.resolve("4", session(" 4 "))).isEqualTo(4);
  }

  @Test
  void valueIsTrimmed() throws MojoFailureException {
    assertThat(Partitions.resolve(" 1 ", null)).isEqualTo(1);
  }

  @Test
  void negativeValuePassesToDeployer() throws MojoFailureException {
    // The range check needs spec.replicas, so the deployer makes it.
    assertThat(Partitions.resolve("-1", null)).isEqualTo(-1);
  }

  @Test
  void conflictingValuesRejected() {
    assertThatThrownBy(() -> Partitions.resolve("2", session("3")))
        .isInstanceOf(MojoFailureException.class)
        .hasMessage(
            "Conflicting partitions: canary.partition=2 and partition=3. Set only one of"
                + " -Dcanary.partition and -Dpartition.");
  }

  @Test
  void missingPartitionRejected() {
    assertThatThrownBy(() -> Partitions.resolve(null, session(null)))
        .isInstanceOf(MojoFailureException.class)
        .hasMessage(
            "No partition set. Pass -Dpartition=N (or -Dcanary.partition=N, or <partition> in the"
                + " plugin configuration): pods with ordinal N and above get the new image.");
  }

  @Test
  void missingPartitionWithoutSessionRejected() {
    assertThatThrownBy(() -> Partitions.resolve(null, null))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("No partition set.");
  }

  @Test
  void blankShortPropertyRejected() {
    assertThatThrownBy(() -> Partitions.resolve(null, session(" ")))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("No partition set.");
  }

  @Test
  void nonNumericPartitionRejected() {
    assertThatThrownBy(() -> Partitions.resolve(null, session("three")))
        .isInstanceOf(MojoFailureException.class)
        .hasMessage(
            "Invalid partition 'three': not a whole number. Pass -Dpartition=N, for example"
                + " -Dpartition=3.");
  }

  /** Returns a session whose user properties contain {@code -Dpartition} when not null. */
  @SuppressWarnings("deprecation")
  static MavenSession session(String shortPartition) {
    MavenExecutionRequest request = new DefaultMavenExecutionRequest();
    if (shortPartition != null) {
      request.getUserProperties().setProperty("partition", shortPartition);
    }
    return new MavenSession(null, null, request, new DefaultMavenExecutionResult());
  }
}
