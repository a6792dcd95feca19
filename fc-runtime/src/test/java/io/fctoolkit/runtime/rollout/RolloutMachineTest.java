package io.fctoolkit.runtime.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.runtime.rollout.RolloutMachine.Action;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutMachineTest {

  static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

  static RolloutStrategy strategy(RolloutStrategy.Inconclusive onInconclusive) {
    return new RolloutStrategy(
        List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
        100,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        onInconclusive,
        RolloutGates.DEFAULT);
  }

  static Gate gate(Verdict verdict) {
    return new Gate("errorRate", 1, 0.0, "%", 100, verdict, "test");
  }

  private static RolloutMachine.Decision decide(
      int step, long samples, Verdict verdict, long secondsIn, RolloutStrategy.Inconclusive on) {
    return RolloutMachine.decide(
        strategy(on),
        step,
        T0,
        samples,
        List.of(gate(verdict), new Gate("p99", 0, null, "ms", 0, Verdict.SKIPPED, "off")),
        T0.plusSeconds(secondsIn));
  }

  @Test
  void aFailedCheck_rollsBackAtOnce_evenBeforeTheInterval() {
    RolloutMachine.Decision d =
        decide(0, 12, Verdict.FAIL, 1, RolloutStrategy.Inconclusive.ROLLBACK);
    assertThat(d.action()).isEqualTo(Action.ROLLBACK);
    assertThat(d.reason()).contains("errorRate").contains("step 1 (10%)");
  }

  @Test
  void passingChecks_waitForTheInterval_thenAdvance_andPromoteAfterTheLastStep() {
    assertThat(decide(0, 150, Verdict.PASS, 5, RolloutStrategy.Inconclusive.ROLLBACK).action())
        .isEqualTo(Action.WAIT);
    assertThat(decide(0, 150, Verdict.PASS, 10, RolloutStrategy.Inconclusive.ROLLBACK).action())
        .isEqualTo(Action.ADVANCE);
    assertThat(decide(1, 150, Verdict.PASS, 10, RolloutStrategy.Inconclusive.ROLLBACK).action())
        .isEqualTo(Action.PROMOTE);
  }

  @Test
  void tooFewSamples_neverPromote_andAfterMaxStepTimeDoWhatTheStrategySays() {
    // passing checks on too few samples are not enough, however long the step ran
    assertThat(decide(1, 99, Verdict.PASS, 30, RolloutStrategy.Inconclusive.ROLLBACK).action())
        .isEqualTo(Action.WAIT);
    RolloutMachine.Decision timedOut =
        decide(1, 99, Verdict.INCONCLUSIVE, 60, RolloutStrategy.Inconclusive.ROLLBACK);
    assertThat(timedOut.action()).isEqualTo(Action.ROLLBACK);
    assertThat(timedOut.reason()).contains("inconclusive").contains("99 of 100");
    RolloutMachine.Decision held =
        decide(1, 99, Verdict.INCONCLUSIVE, 600, RolloutStrategy.Inconclusive.HOLD);
    assertThat(held.action()).isEqualTo(Action.WAIT);
    assertThat(held.reason()).contains("holding");
  }

  @Test
  void aFailedLatencyCheck_waitsForTheInterval_thenRollsBack() {
    // the canary's pool queues for a moment right after the weight grew: not a verdict yet
    Gate slow = new Gate("p95Ratio", 1.5, 1.66, "x", 318, Verdict.FAIL, "22 of 318 slower");
    RolloutStrategy s = strategy(RolloutStrategy.Inconclusive.ROLLBACK);
    RolloutMachine.Decision early =
        RolloutMachine.decide(s, 1, T0, 318, List.of(gate(Verdict.PASS), slow), T0.plusSeconds(3));
    assertThat(early.action()).isEqualTo(Action.WAIT);
    assertThat(early.reason()).contains("p95Ratio").contains("at least 10 s");
    // still failing after the interval: rolled back
    RolloutMachine.Decision late =
        RolloutMachine.decide(
            s, 1, T0, 1200, List.of(gate(Verdict.PASS), slow), T0.plusSeconds(10));
    assertThat(late.action()).isEqualTo(Action.ROLLBACK);
    assertThat(late.reason()).contains("check p95Ratio failed at step 2 (50%)");
    // an error-rate failure does not wait
    assertThat(
            RolloutMachine.decide(
                    s, 1, T0, 20, List.of(gate(Verdict.FAIL), slow), T0.plusSeconds(1))
                .action())
        .isEqualTo(Action.ROLLBACK);
  }
}
