package io.fctoolkit.runtime.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateCheckTest {

  static final double[] BOUNDS = {10, 20, 50, 100, 200, 500, 1000};

  static RolloutStrategy strategy(long minSamples, RolloutGates gates) {
    return new RolloutStrategy(
        List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
        minSamples,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        RolloutStrategy.Inconclusive.ROLLBACK,
        gates);
  }

  /** {@code requests} answers with {@code errors} 5xx, all in the bucket up to {@code ms}. */
  static VersionCounters counters(long requests, long errors, double ms) {
    long[] latency = new long[BOUNDS.length + 1];
    int bucket = 0;
    while (bucket < BOUNDS.length && BOUNDS[bucket] < ms) {
      bucket++;
    }
    latency[bucket] = requests;
    return new VersionCounters(requests, errors, BOUNDS, latency, 0, 0, 0);
  }

  static VersionCounters records(long records, long retries, long deadLetters) {
    VersionCounters c = counters(records, 0, 5);
    return new VersionCounters(c.requests(), 0, BOUNDS, c.latency(), records, retries, deadLetters);
  }

  private static Gate gate(List<Gate> gates, String name) {
    return gates.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void errorRate_failsEarly_whenTheLimitIsOutOfReach() {
    // Given: 12 errors in 40 samples, limit 1% of at least 100 samples
    List<Gate> gates =
        GateCheck.evaluate(
            strategy(100, RolloutGates.DEFAULT), counters(40, 12, 5), counters(300, 0, 5), false);
    // Then: even 60 more successes could not bring it under 1%
    Gate g = gate(gates, "errorRate");
    assertThat(g.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(g.value()).isEqualTo(30.0);
    assertThat(g.samples()).isEqualTo(40);
  }

  @Test
  void errorRate_isInconclusive_belowMinimumSamples_andPassesOrFailsAfter() {
    RolloutStrategy s = strategy(100, RolloutGates.DEFAULT);
    VersionCounters none = counters(0, 0, 5);
    // one error of 40 could still end under 1% of 100
    assertThat(gate(GateCheck.evaluate(s, counters(40, 1, 5), none, false), "errorRate").verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(gate(GateCheck.evaluate(s, counters(200, 2, 5), none, false), "errorRate").verdict())
        .isEqualTo(Verdict.PASS);
    assertThat(gate(GateCheck.evaluate(s, counters(200, 3, 5), none, false), "errorRate").verdict())
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void p99_needsTheMinimumSamples_thenComparesWithTheLimit() {
    RolloutStrategy s =
        strategy(50, new RolloutGates(BigDecimal.ONE, Duration.ofMillis(100), null, null, null));
    VersionCounters none = counters(0, 0, 5);
    assertThat(gate(GateCheck.evaluate(s, counters(10, 0, 400), none, false), "p99").verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    Gate slow = gate(GateCheck.evaluate(s, counters(60, 0, 400), none, false), "p99");
    assertThat(slow.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(slow.value()).isGreaterThan(200.0).isLessThanOrEqualTo(500.0);
    assertThat(gate(GateCheck.evaluate(s, counters(60, 0, 15), none, false), "p99").verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void p99Ratio_isSkippedWithoutPrimarySamples_andFailsAtThreeTimesThePrimary() {
    RolloutStrategy s =
        strategy(50, new RolloutGates(null, null, new BigDecimal("1.5"), null, null));
    Gate skipped =
        gate(GateCheck.evaluate(s, counters(60, 0, 150), counters(10, 0, 40), false), "p99Ratio");
    assertThat(skipped.verdict()).isEqualTo(Verdict.SKIPPED);
    Gate slow =
        gate(GateCheck.evaluate(s, counters(60, 0, 150), counters(100, 0, 40), false), "p99Ratio");
    assertThat(slow.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(slow.value()).isGreaterThan(1.5);
    Gate same =
        gate(GateCheck.evaluate(s, counters(60, 0, 40), counters(100, 0, 40), false), "p99Ratio");
    assertThat(same.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void recordChecks_applyOnlyWhenATriggerInvokesTheAlias() {
    RolloutStrategy s = strategy(100, RolloutGates.DEFAULT);
    VersionCounters canary = records(50, 0, 2);
    // not triggered: skipped, so an HTTP-only alias is never held up by them
    assertThat(gate(GateCheck.evaluate(s, canary, canary, false), "deadLetterRate").verdict())
        .isEqualTo(Verdict.SKIPPED);
    // triggered: 2 dead letters already exceed 1% of 100 records
    Gate dead = gate(GateCheck.evaluate(s, canary, canary, true), "deadLetterRate");
    assertThat(dead.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(dead.samples()).isEqualTo(50);
    // 9 retries in 100 records pass the default 10%, 11 fail
    assertThat(gate(GateCheck.evaluate(s, records(100, 9, 0), canary, true), "retryRate").verdict())
        .isEqualTo(Verdict.PASS);
    assertThat(
            gate(GateCheck.evaluate(s, records(100, 11, 0), canary, true), "retryRate").verdict())
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void counters_overAStep_andAfterARestart() {
    VersionCounters start = counters(100, 5, 15);
    VersionCounters now = counters(250, 6, 15);
    VersionCounters step = now.minus(start);
    assertThat(step.requests()).isEqualTo(150);
    assertThat(step.errors()).isEqualTo(1);
    assertThat(step.quantile(0.99)).isBetween(10.0, 20.0);
    // counters that went down (a restarted runtime) count from zero
    VersionCounters afterRestart = counters(30, 1, 15).minus(start);
    assertThat(afterRestart.requests()).isEqualTo(30);
    assertThat(afterRestart.errors()).isEqualTo(1);
    assertThat(counters(0, 0, 5).quantile(0.99)).isNull();
  }
}
