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
    // fast, but a p99 of 60 samples is their slowest but one: it waits for the 2,000 it needs
    assertThat(gate(GateCheck.evaluate(s, counters(60, 0, 15), none, false), "p99").verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(gate(GateCheck.evaluate(s, counters(2000, 0, 15), none, false), "p99").verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void p99_failsOnceMoreThanOnePercentOfTheSamplesItNeedsWereSlow() {
    RolloutStrategy s =
        strategy(50, new RolloutGates(BigDecimal.ONE, Duration.ofMillis(100), null, null, null));
    // 20 slow of 2,000 needed is still 1%: could pass; the 21st slow one cannot
    assertThat(
            gate(GateCheck.evaluate(s, slowAmong(100, 20), counters(0, 0, 5), false), "p99")
                .verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    Gate slow = gate(GateCheck.evaluate(s, slowAmong(100, 21), counters(0, 0, 5), false), "p99");
    assertThat(slow.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(slow.detail()).contains("21 of 100 samples slower than 100 ms").contains("2000");
  }

  /** {@code n} samples of which {@code slow} took 400 ms and the others 5 ms. */
  private static VersionCounters slowAmong(long n, long slow) {
    long[] latency = new long[BOUNDS.length + 1];
    latency[0] = n - slow;
    latency[5] = slow;
    return new VersionCounters(n, 0, BOUNDS, latency, 0, 0, 0);
  }

  @Test
  void p99Ratio_isSkippedWithoutPrimarySamples_andFailsAtThreeTimesThePrimary() {
    RolloutStrategy s =
        strategy(50, new RolloutGates(null, null, new BigDecimal("1.5"), null, null));
    // the primary short of the 2,000 samples its p99 needs: wait while the canary is short too
    assertThat(
            gate(
                    GateCheck.evaluate(s, counters(60, 0, 150), counters(10, 0, 40), false),
                    "p99Ratio")
                .verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    Gate skipped =
        gate(GateCheck.evaluate(s, counters(2000, 0, 150), counters(10, 0, 40), false), "p99Ratio");
    assertThat(skipped.verdict()).isEqualTo(Verdict.SKIPPED);
    // every canary sample beyond 1.5x the primary's p99: fails after 21, not 2,000
    Gate slow =
        gate(GateCheck.evaluate(s, counters(60, 0, 150), counters(2000, 0, 40), false), "p99Ratio");
    assertThat(slow.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(slow.value()).isGreaterThan(1.5);
    Gate same =
        gate(
            GateCheck.evaluate(s, counters(2000, 0, 40), counters(2000, 0, 40), false), "p99Ratio");
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

  // --- latency as the runtime measures it: the version's own time plus noise both versions share

  /** The runtime's bucket bounds (Histogram: 0.25 ms growing by 12% up to 5 minutes). */
  static final double[] RUNTIME_BOUNDS = runtimeBounds();

  private static double[] runtimeBounds() {
    List<Double> bounds = new java.util.ArrayList<>();
    for (double b = 0.25; b < 300_000; b *= 1.12) {
      bounds.add(Math.round(b * 100) / 100.0);
    }
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * {@code n} latencies of a version whose body takes {@code bodyMs}, as the runtime records them
   * on a busy machine: about 1 ms of forwarding, a few ms of scheduling delay (exponential), and a
   * stall of 40 to 200 ms (a GC pause or the CPU taken by another process) for {@code stalls} of
   * the requests. The figures follow bench/rollout at 200 req/s on two loaded cores.
   */
  static VersionCounters measured(long n, double bodyMs, double stalls, java.util.Random random) {
    long[] latency = new long[RUNTIME_BOUNDS.length + 1];
    for (long i = 0; i < n; i++) {
      double ms = bodyMs + 0.8 + -Math.log(1 - random.nextDouble()) * 1.5;
      if (random.nextDouble() < stalls) {
        ms += 40 + random.nextDouble() * 160;
      }
      int at = java.util.Arrays.binarySearch(RUNTIME_BOUNDS, ms);
      latency[at >= 0 ? at : -at - 1]++;
    }
    return new VersionCounters(n, 0, RUNTIME_BOUNDS, latency, 0, 0, 0);
  }

  /** The bench's checks (bench/rollout): errors 1%, p95 <= 1.5x and p99 <= 2x the primary's. */
  static final RolloutGates BENCH =
      RolloutGates.builder()
          .maxErrorRate(BigDecimal.ONE)
          .maxP95Ratio(new BigDecimal("1.5"))
          .maxP99Ratio(BigDecimal.valueOf(2))
          .build();

  private static boolean failed(RolloutGates gates, VersionCounters canary, VersionCounters p) {
    return GateCheck.evaluate(strategy(200, gates), canary, p, false).stream()
        .anyMatch(g -> g.verdict() == Verdict.FAIL);
  }

  @Test
  void aThreeTimesSlowerBody_hidesInTheP99ButNotInTheP95_whenSharedStallsMakeTheTail() {
    // Given: step 1 at 10% with the bench's minimum, a body of 15 ms at the canary against 5 ms at
    // the primary, 3% of requests stalled at both (the benchmark's "(b) 3x latency" release)
    java.util.Random random = new java.util.Random(7);
    VersionCounters canary = measured(200, 15, 0.03, random);
    VersionCounters primary = measured(1800, 5, 0.03, random);
    // Then: both p99s are stalls, so their ratio is far below 3 and the 2x limit ...
    assertThat(canary.quantile(0.99) / primary.quantile(0.99)).isLessThan(1.5);
    List<Gate> gates = GateCheck.evaluate(strategy(200, BENCH), canary, primary, false);
    // ... and a p99 of 200 samples (their second slowest) is not judged: it waits for 2,000,
    // where it used to pass this release
    assertThat(gate(gates, "p99Ratio").verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    // while the p95 still shows the body, and most canary samples lie beyond 1.5x the primary's
    Gate p95 = gate(gates, "p95Ratio");
    assertThat(p95.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(p95.value()).isGreaterThan(1.5);
    assertThat(p95.detail()).contains("canary p95").contains("the primary's");
  }

  @Test
  void benchChecks_rollBackAThreeTimesSlowerBody_andPassAGoodRelease_overManySteps() {
    // 400 simulated steps of each kind, judged on the samples a p95 needs (400 at the canary)
    // against 9x as many at the primary (step 1, 10%) or as many (step 2, 50%); 2% stalls
    java.util.Random random = new java.util.Random(42);
    int trials = 400;
    int caught = 0;
    int falseRollbacks = 0;
    int caughtByP99Alone = 0;
    RolloutGates p99Only = BENCH.toBuilder().maxP95Ratio(null).build();
    for (int i = 0; i < trials; i++) {
      VersionCounters primary = measured(i % 2 == 0 ? 3600 : 400, 5, 0.02, random);
      VersionCounters slow = measured(400, 15, 0.02, random);
      caught += failed(BENCH, slow, primary) ? 1 : 0;
      caughtByP99Alone += failed(p99Only, slow, primary) ? 1 : 0;
      falseRollbacks += failed(BENCH, measured(400, 5, 0.02, random), primary) ? 1 : 0;
    }
    // Then: the slow body is caught in 99% of the steps (the rest wait for more samples), the good
    // one rolled back in at most 1%
    assertThat(caught).isGreaterThanOrEqualTo(trials * 99 / 100);
    assertThat(falseRollbacks).isLessThanOrEqualTo(trials / 100);
    // and the p99 check alone (the benchmark's strategy before) catches almost none
    assertThat(caughtByP99Alone).isLessThan(trials / 10);
  }

  @Test
  void quantiles_ofTheRuntimeBuckets_areWithinABucketOfTheExactOnes() {
    // Not the cause: 12% buckets with interpolation put p50/p95/p99 within a few percent
    java.util.Random random = new java.util.Random(3);
    double[] exact = new double[5000];
    long[] latency = new long[RUNTIME_BOUNDS.length + 1];
    for (int i = 0; i < exact.length; i++) {
      exact[i] = 5 + -Math.log(1 - random.nextDouble()) * 4;
      int at = java.util.Arrays.binarySearch(RUNTIME_BOUNDS, exact[i]);
      latency[at >= 0 ? at : -at - 1]++;
    }
    java.util.Arrays.sort(exact);
    VersionCounters c = new VersionCounters(exact.length, 0, RUNTIME_BOUNDS, latency, 0, 0, 0);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double truth = exact[(int) Math.ceil(q * exact.length) - 1];
      assertThat(c.quantile(q))
          .isCloseTo(truth, org.assertj.core.data.Percentage.withPercentage(6));
    }
  }

  // --- checks against the primary's rates: an excess in percentage points

  private static RolloutStrategy excess(String errorPoints) {
    return strategy(
        200, RolloutGates.builder().maxErrorRateExcess(new BigDecimal(errorPoints)).build());
  }

  @Test
  void errorRateExcess_isTheAbsoluteLimit_whenThePrimaryHasNoErrors() {
    VersionCounters primary = counters(1800, 0, 5);
    // 1 point over a primary at 0%: at most 2 of 200
    Gate pass =
        gate(
            GateCheck.evaluate(excess("1"), counters(200, 2, 5), primary, false),
            "errorRateExcess");
    assertThat(pass.verdict()).isEqualTo(Verdict.PASS);
    assertThat(pass.value()).isEqualTo(1.0);
    assertThat(pass.unit()).isEqualTo("pp");
    // the third error fails, even before the minimum (it could not come back under the limit)
    Gate fail =
        gate(
            GateCheck.evaluate(excess("1"), counters(60, 3, 5), primary, false), "errorRateExcess");
    assertThat(fail.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(fail.detail()).contains("3 of 60").contains("at the primary 0 of 1800");
  }

  @Test
  void errorRateExcess_movesTheLimitByThePrimarysRate() {
    // the primary fails 2% (a downstream outage both versions see): the canary may fail 3%
    VersionCounters primary = counters(1800, 36, 5);
    assertThat(
            gate(
                    GateCheck.evaluate(excess("1"), counters(200, 6, 5), primary, false),
                    "errorRateExcess")
                .verdict())
        .isEqualTo(Verdict.PASS);
    Gate worse =
        gate(
            GateCheck.evaluate(excess("1"), counters(200, 7, 5), primary, false),
            "errorRateExcess");
    assertThat(worse.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(worse.value()).isEqualTo(1.5);
    // where the absolute 1% alone would have rolled back a canary as good as its primary
    RolloutStrategy absolute =
        strategy(200, RolloutGates.builder().maxErrorRate(BigDecimal.ONE).build());
    assertThat(
            gate(GateCheck.evaluate(absolute, counters(200, 4, 5), primary, false), "errorRate")
                .verdict())
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void excess_waitsForThePrimary_thenIsSkippedWhenItServesTooLittle() {
    VersionCounters fewAtPrimary = counters(50, 0, 5);
    assertThat(
            gate(
                    GateCheck.evaluate(excess("1"), counters(100, 0, 5), fewAtPrimary, false),
                    "errorRateExcess")
                .verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    // the canary has its minimum and the primary never will at a high step: skipped, not waited
    Gate skipped =
        gate(
            GateCheck.evaluate(excess("1"), counters(200, 0, 5), fewAtPrimary, false),
            "errorRateExcess");
    assertThat(skipped.verdict()).isEqualTo(Verdict.SKIPPED);
    // not configured: skipped
    assertThat(
            gate(
                    GateCheck.evaluate(
                        strategy(200, RolloutGates.DEFAULT),
                        counters(200, 0, 5),
                        counters(1800, 0, 5),
                        false),
                    "errorRateExcess")
                .verdict())
        .isEqualTo(Verdict.SKIPPED);
  }

  @Test
  void recordExcess_comparesDeadLettersAndRetriesWithThePrimarysRecords() {
    RolloutStrategy s =
        strategy(
            100,
            RolloutGates.builder()
                .maxDeadLetterRateExcess(new BigDecimal("0.5"))
                .maxRetryRateExcess(BigDecimal.valueOf(5))
                .build());
    VersionCounters primary = records(900, 90, 0);
    // 3 dead letters of 100 against none at the primary: 3 points, over 0.5
    Gate dead =
        gate(GateCheck.evaluate(s, records(100, 10, 3), primary, true), "deadLetterRateExcess");
    assertThat(dead.verdict()).isEqualTo(Verdict.FAIL);
    // retries 14% against the primary's 10%: 4 points, within 5
    Gate retries =
        gate(GateCheck.evaluate(s, records(100, 14, 0), primary, true), "retryRateExcess");
    assertThat(retries.verdict()).isEqualTo(Verdict.PASS);
    assertThat(retries.value()).isEqualTo(4.0);
    // no trigger: skipped
    assertThat(
            gate(GateCheck.evaluate(s, records(100, 10, 3), primary, false), "deadLetterRateExcess")
                .verdict())
        .isEqualTo(Verdict.SKIPPED);
  }

  @Test
  void p95_absolute_needsTheMinimumSamples_thenComparesWithTheLimit() {
    RolloutStrategy s = strategy(50, RolloutGates.builder().maxP95(Duration.ofMillis(100)).build());
    VersionCounters none = counters(0, 0, 5);
    assertThat(gate(GateCheck.evaluate(s, counters(10, 0, 400), none, false), "p95").verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(gate(GateCheck.evaluate(s, counters(60, 0, 400), none, false), "p95").verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(gate(GateCheck.evaluate(s, counters(60, 0, 15), none, false), "p95").verdict())
        .isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(gate(GateCheck.evaluate(s, counters(400, 0, 15), none, false), "p95").verdict())
        .isEqualTo(Verdict.PASS);
  }
}
