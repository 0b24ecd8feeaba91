package io.github.stscanary.canary.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

class StatefulSetStateTest {

  @Test
  void ofReadsRecordedStatefulSet() {
    StatefulSetState state = RecordedRollout.partitionThreeComplete().state();

    assertThat(state.namespace()).isEqualTo("shop");
    assertThat(state.name()).isEqualTo("web");
    assertThat(state.generation()).isEqualTo(4);
    assertThat(state.observedGeneration()).isEqualTo(4);
    assertThat(state.replicas()).isEqualTo(5);
    assertThat(state.readyReplicas()).isEqualTo(5);
    assertThat(state.updatedReplicas()).isEqualTo(2);
    assertThat(state.currentReplicas()).isEqualTo(3);
    assertThat(state.currentRevision()).isEqualTo(RecordedRollout.STABLE_REVISION);
    assertThat(state.updateRevision()).isEqualTo(RecordedRollout.UPDATE_REVISION);
    assertThat(state.partition()).isEqualTo(3);
    assertThat(state.strategy()).isEqualTo("RollingUpdate");
  }

  @Test
  void ofFillsDefaultsOfNewStatefulSet() {
    StatefulSet created =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("web")
            .withGeneration(1L)
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();

    StatefulSetState state = StatefulSetState.of(created);

    assertThat(state.replicas()).isEqualTo(1);
    assertThat(state.strategy()).isEqualTo(StatefulSetState.ROLLING_UPDATE);
    assertThat(state.partition()).isZero();
    assertThat(state.observedGeneration()).isZero();
    assertThat(state.currentRevision()).isEmpty();
    assertThat(state.updateRevision()).isEmpty();
    assertThat(state.observed()).isFalse();
    assertThat(state.updatePending()).isFalse();
  }

  @Test
  void ofReadsOnDeleteStrategy() {
    StatefulSet onDelete =
        RecordedRollout.partitionThreeComplete()
            .withStatefulSet(
                statefulSet ->
                    statefulSet
                        .editSpec()
                        .withNewUpdateStrategy()
                        .withType("OnDelete")
                        .endUpdateStrategy()
                        .endSpec())
            .statefulSet();

    StatefulSetState state = StatefulSetState.of(onDelete);

    assertThat(state.strategy()).isEqualTo("OnDelete");
    assertThat(state.partition()).isZero();
  }

  @Test
  void observedOnlyAtLatestGeneration() {
    RecordedRollout rollout = RecordedRollout.partitionThreeComplete();
    StatefulSetState stale =
        rollout
            .withStatefulSet(
                statefulSet -> statefulSet.editMetadata().withGeneration(5L).endMetadata())
            .state();

    assertThat(rollout.state().observed()).isTrue();
    assertThat(stale.observed()).isFalse();
  }

  @Test
  void updatePendingWhileRevisionsDiffer() {
    assertThat(RecordedRollout.partitionThreeComplete().state().updatePending()).isTrue();
    assertThat(RecordedRollout.allPodsUpdated().state().updatePending()).isFalse();
  }
}
