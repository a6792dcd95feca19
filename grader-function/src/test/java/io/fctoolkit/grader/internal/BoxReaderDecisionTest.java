package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import org.junit.jupiter.api.Test;

/** The decision rule: a decided box is confident (>= 0.95), anything less sure is UNCERTAIN. */
class BoxReaderDecisionTest {

  @Test
  void blank_onlyWhenEvenTheLooseThresholdFindsNoInk() {
    BoxResult clear = BoxReader.decide("q1", 0, 0, 0, true);
    assertThat(clear.state()).isEqualTo(BoxState.BLANK);
    assertThat(clear.confidence()).isGreaterThanOrEqualTo(BoxReader.CONFIDENT);
    // Faint strokes just under the decision threshold show at the loose one: not sure.
    BoxResult faint = BoxReader.decide("q1", 0.5, 9, 0, true);
    assertThat(faint.state()).isEqualTo(BoxState.UNCERTAIN);
    assertThat(faint.confidence()).isLessThan(BoxReader.CONFIDENT);
  }

  @Test
  void answered_onlyWhenTheStrictThresholdStillFindsInk() {
    BoxResult strong = BoxReader.decide("q1", 40, 45, 30, true);
    assertThat(strong.state()).isEqualTo(BoxState.ANSWERED);
    assertThat(strong.confidence()).isGreaterThanOrEqualTo(BoxReader.CONFIDENT);
    // Much ink at T but almost none at 1.6 T: an erased ghost or faint smudge looks like this.
    BoxResult ghost = BoxReader.decide("q1", 20, 30, 1, true);
    assertThat(ghost.state()).isEqualTo(BoxState.UNCERTAIN);
    BoxResult marginal = BoxReader.decide("q1", 7, 12, 2, true);
    assertThat(marginal.state()).isEqualTo(BoxState.UNCERTAIN);
    assertThat(marginal.confidence()).isLessThan(BoxReader.CONFIDENT);
  }

  @Test
  void noInkFound_isUncertainWhenTheNoiseHidesFaintPencil() {
    // Faint pencil at ~2.4 px/mm in a noisy photo (FAINT_PENCIL tuning seed 100005, box q10):
    // the loose threshold was 0.049 and found nothing, and the box was BLANK at 0.999.
    BoxResult noisy = BoxReader.unsure(BoxReader.decide("q10", 0, 0, 0, true), 0);
    assertThat(noisy.state()).isEqualTo(BoxState.UNCERTAIN);
    assertThat(noisy.confidence()).isLessThan(BoxReader.CONFIDENT);
    // Ink, when found, still decides whatever the noise.
    assertThat(BoxReader.decide("q1", 40, 45, 30, false).state()).isEqualTo(BoxState.ANSWERED);
  }

  @Test
  void between_isUncertain() {
    BoxResult between = BoxReader.decide("q1", 3, 4, 2, true);
    assertThat(between.state()).isEqualTo(BoxState.UNCERTAIN);
    assertThat(between.confidence()).isBetween(0.5, 0.949);
  }
}
