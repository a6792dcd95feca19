package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one step's samples against the strategy's checks. A rate check fails as soon as its
 * failures make the limit unreachable even if every remaining sample up to the minimum succeeded
 * (so a canary failing a third of its requests is rolled back after a handful, not after the whole
 * minimum), passes only with at least the minimum samples, and is inconclusive in between. Latency
 * checks need the minimum samples either way: a p99 of a few samples is noise.
 */
public final class GateCheck {

  private GateCheck() {}

  /**
   * @param canary the canary's counters over the step
   * @param primary the primary's counters over the same step
   * @param triggered whether a trigger invokes the alias (record checks are made only then)
   */
  public static List<Gate> evaluate(
      RolloutStrategy strategy,
      VersionCounters canary,
      VersionCounters primary,
      boolean triggered) {
    RolloutGates g = strategy.gates();
    long min = strategy.minSamples();
    List<Gate> gates = new ArrayList<>();
    gates.add(
        rate(
            "errorRate",
            g.maxErrorRate(),
            canary.errors(),
            canary.requests(),
            min,
            "5xx answers of the canary's invocations"));
    gates.add(p99(g, canary, min));
    gates.add(p99Ratio(g, canary, primary, min));
    String noTrigger = "no trigger invokes this alias";
    gates.add(
        triggered
            ? rate(
                "deadLetterRate",
                g.maxDeadLetterRate(),
                canary.deadLetters(),
                canary.records(),
                min,
                "records the canary dead-lettered, of the records it finished")
            : skipped("deadLetterRate", g.maxDeadLetterRate(), "%", noTrigger));
    gates.add(
        triggered
            ? rate(
                "retryRate",
                g.maxRetryRate(),
                canary.retries(),
                canary.records(),
                min,
                "delivery attempts retried at the canary, per record it finished")
            : skipped("retryRate", g.maxRetryRate(), "%", noTrigger));
    return gates;
  }

  static Gate rate(
      String name, BigDecimal maxPercent, long failures, long samples, long min, String what) {
    if (maxPercent == null) {
      return skipped(name, null, "%", "not configured");
    }
    double max = maxPercent.doubleValue();
    Double value = samples == 0 ? null : round(100.0 * failures / samples);
    // Fails once the limit is out of reach: even all successes up to the minimum cannot save it.
    if (failures > max / 100.0 * Math.max(min, samples)) {
      return new Gate(
          name,
          max,
          value,
          "%",
          samples,
          Verdict.FAIL,
          what + ": " + failures + " of " + samples + ", limit " + fmt(max) + "%");
    }
    if (samples < min) {
      return new Gate(
          name,
          max,
          value,
          "%",
          samples,
          Verdict.INCONCLUSIVE,
          what + ": " + failures + " of " + samples + ", waiting for " + min + " samples");
    }
    return new Gate(
        name,
        max,
        value,
        "%",
        samples,
        Verdict.PASS,
        what + ": " + failures + " of " + samples + ", limit " + fmt(max) + "%");
  }

  private static Gate p99(RolloutGates g, VersionCounters canary, long min) {
    if (g.maxP99() == null) {
      return skipped("p99", null, "ms", "not configured");
    }
    double max = g.maxP99().toNanos() / 1e6;
    Double value = canary.quantile(0.99);
    if (canary.requests() < min || value == null) {
      return new Gate(
          "p99",
          max,
          value,
          "ms",
          canary.requests(),
          Verdict.INCONCLUSIVE,
          "canary p99 latency, waiting for " + min + " samples");
    }
    return new Gate(
        "p99",
        max,
        value,
        "ms",
        canary.requests(),
        value <= max ? Verdict.PASS : Verdict.FAIL,
        "canary p99 latency " + fmt(value) + " ms, limit " + fmt(max) + " ms");
  }

  private static Gate p99Ratio(
      RolloutGates g, VersionCounters canary, VersionCounters primary, long min) {
    if (g.maxP99Ratio() == null) {
      return skipped("p99Ratio", null, "x", "not configured");
    }
    double max = g.maxP99Ratio().doubleValue();
    Double c = canary.quantile(0.99);
    Double p = primary.quantile(0.99);
    if (canary.requests() < min || c == null) {
      return new Gate(
          "p99Ratio",
          max,
          null,
          "x",
          canary.requests(),
          Verdict.INCONCLUSIVE,
          "canary p99 against the primary's, waiting for " + min + " canary samples");
    }
    if (primary.requests() < min || p == null || p == 0) {
      // Not a reason to wait: at high steps the primary serves little, and the absolute checks
      // still hold.
      return new Gate(
          "p99Ratio",
          max,
          null,
          "x",
          canary.requests(),
          Verdict.SKIPPED,
          "the primary served " + primary.requests() + " samples in this step, fewer than " + min);
    }
    double ratio = round(c / p);
    return new Gate(
        "p99Ratio",
        max,
        ratio,
        "x",
        canary.requests(),
        ratio <= max ? Verdict.PASS : Verdict.FAIL,
        "canary p99 "
            + fmt(c)
            + " ms is "
            + fmt(ratio)
            + "x the primary's "
            + fmt(p)
            + " ms, limit "
            + fmt(max)
            + "x");
  }

  private static Gate skipped(String name, BigDecimal threshold, String unit, String why) {
    return new Gate(
        name, threshold == null ? 0 : threshold.doubleValue(), null, unit, 0, Verdict.SKIPPED, why);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String fmt(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
