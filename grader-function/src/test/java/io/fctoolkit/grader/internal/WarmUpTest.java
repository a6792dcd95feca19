package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.grader.GraderConfig;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.SheetGrade;
import io.fctoolkit.grader.SheetStatus;
import io.fctoolkit.grader.WorksheetGrader;
import io.fctoolkit.grader.testing.TestImages;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmUpTest {

  @Test
  void fromEnv_whenUnset_warmsUpInTrainingRunsOnly() {
    // Given
    WarmUp policy = WarmUp.fromEnv(Map.of());

    // Then
    assertThat(policy).isEqualTo(WarmUp.TRAINING);
    assertThat(policy.rounds(Map.of())).isZero();
    assertThat(policy.rounds(Map.of("FC_TRAIN", "1"))).isEqualTo(WarmUp.TRAINING_ROUNDS);
    assertThat(policy.rounds(Map.of("FC_TRAIN", "0"))).isZero();
  }

  @Test
  void rounds_byDefault_warmsAStandbyStartOnce_whereNobodyWaits() {
    assertThat(WarmUp.TRAINING.rounds(Map.of("FC_STANDBY", "1"))).isEqualTo(1);
    assertThat(WarmUp.TRAINING.rounds(Map.of("FC_STANDBY", "0"))).isZero();
    assertThat(WarmUp.NEVER.rounds(Map.of("FC_STANDBY", "1"))).isZero();
  }

  @Test
  void fromEnv_readsEveryDocumentedValue() {
    assertThat(WarmUp.fromEnv(Map.of("GRADER_WARMUP", "train"))).isEqualTo(WarmUp.TRAINING);
    assertThat(WarmUp.fromEnv(Map.of("GRADER_WARMUP", " 1 "))).isEqualTo(WarmUp.ALWAYS);
    assertThat(WarmUp.fromEnv(Map.of("GRADER_WARMUP", "Always"))).isEqualTo(WarmUp.ALWAYS);
    assertThat(WarmUp.fromEnv(Map.of("GRADER_WARMUP", "0"))).isEqualTo(WarmUp.NEVER);
    assertThat(WarmUp.fromEnv(Map.of("GRADER_WARMUP", "never"))).isEqualTo(WarmUp.NEVER);
    assertThat(WarmUp.fromEnv(Map.of("GRADER_WARMUP", "background"))).isEqualTo(WarmUp.BACKGROUND);
  }

  @Test
  void rounds_alwaysWarmsUpServingInstancesOnce_andNeverNotEvenInTraining() {
    assertThat(WarmUp.ALWAYS.rounds(Map.of())).isEqualTo(1);
    assertThat(WarmUp.ALWAYS.rounds(Map.of("FC_TRAIN", "1"))).isEqualTo(WarmUp.TRAINING_ROUNDS);
    assertThat(WarmUp.NEVER.rounds(Map.of("FC_TRAIN", "1"))).isZero();
  }

  @Test
  void background_runsBesideServingInstances_butInlineInTraining() {
    // Training must finish its gradings before the JVM exits and writes the archive.
    assertThat(WarmUp.BACKGROUND.inBackground(Map.of("FC_TRAIN", "1"))).isFalse();
    assertThat(WarmUp.BACKGROUND.rounds(Map.of("FC_TRAIN", "1"))).isEqualTo(WarmUp.TRAINING_ROUNDS);
    assertThat(WarmUp.BACKGROUND.inBackground(Map.of())).isTrue();
    assertThat(WarmUp.BACKGROUND.rounds(Map.of())).isEqualTo(WarmUp.BACKGROUND_ROUNDS);
    assertThat(WarmUp.ALWAYS.inBackground(Map.of())).isFalse();
  }

  @Test
  void fromEnv_whenValueUnknown_namesTheVariableAndTheValues() {
    assertThatThrownBy(() -> WarmUp.fromEnv(Map.of("GRADER_WARMUP", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GRADER_WARMUP='yes'")
        .hasMessageContaining("train, 1 (always), background, 0 (never)");
  }

  @Test
  void photo_isTheTestSample_andGradesWithItsBoxesRead() {
    // Given
    byte[] photo = WarmUp.photo();
    WorksheetGrader grader =
        new WorksheetGrader(LayoutRegistry.builtIn(), GraderConfig.fromEnv(Map.of()).maxPixels());

    // When
    SheetGrade grade = grader.grade(photo, WarmUp.PHOTO_LAYOUT);

    // Then: the warm-up runs the same path as the sample's real grading, boxes included
    assertThat(photo).isEqualTo(TestImages.sample());
    assertThat(grade.status()).isNotEqualTo(SheetStatus.UNREADABLE);
    assertThat(grade.layout()).isEqualTo(WarmUp.PHOTO_LAYOUT);
    assertThat(grade.boxes()).hasSize(12);
  }
}
