package io.github.stscanary.canary.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.stscanary.canary.testing.ClusterEnvironment;
import io.github.stscanary.canary.testing.MavenRun;
import org.junit.jupiter.api.Test;

class MavenRunSmokeIT {

  @Test
  void statusOfMissingStatefulSetFailsWithHint() {
    ClusterEnvironment environment = ClusterEnvironment.load();
    MavenRun maven = MavenRun.copyOf("nginx", environment, "default");

    MavenRun.Result result = maven.run("canary:status");

    assertThat(result.succeeded()).as(result.output()).isFalse();
    assertThat(result.output())
        .contains("StatefulSet nginx-statefulset not found in namespace default");
    assertThat(result.output()).contains("canary:apply");
  }
}
