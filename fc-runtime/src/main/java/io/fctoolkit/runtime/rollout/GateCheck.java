package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one step's samples against the strategy's checks. A rate check fails as soon as its
 * failures make the limit unreachable even if every remaining sample up to the minimum succeeded
 * (so a canary failing a third of its requests is rolled back after a handful, not after the whole
 * minimum), passes only with at least the minimum samples, and is inconclusive in between. A
 * latency check is the same rule on slow samples (more than 5% above the limit is a p95 above it),
 * with as many samples as its quantile needs: a p95 400, a p99 2,000 (see {@link #needed}).
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
    Counted errors =
        new Counted(
            "errorRate",
            "5xx answers of the canary's invocations",
            canary.errors(),
            canary.requests(),
            primary.errors(),
            primary.requests());
    gates.add(rate(errors, g.maxErrorRate(), min));
    gates.add(excess(errors, g.maxErrorRateExcess(), min));
    gates.add(latency("p95", 0.95, g.maxP95(), canary, min));
    gates.add(ratio("p95", 0.95, g.maxP95Ratio(), canary, primary, min));
    gates.add(latency("p99", 0.99, g.maxP99(), canary, min));
    gates.add(ratio("p99", 0.99, g.maxP99Ratio(), canary, primary, min));
    Counted deadLetters =
        new Counted(
            "deadLetterRate",
            "records the canary dead-lettered, of the records it finished",
            canary.deadLetters(),
            canary.records(),
            primary.deadLetters(),
            primary.records());
    Counted retries =
        new Counted(
            "retryRate",
            "delivery attempts retried at the canary, per record it finished",
            canary.retries(),
            canary.records(),
            primary.retries(),
            primary.records());
    String noTrigger = "no trigger invokes this alias";
    for (Counted c : List.of(deadLetters, retries)) {
      BigDecimal max = c == deadLetters ? g.maxDeadLetterRate() : g.maxRetryRate();
      BigDecimal excess = c == deadLetters ? g.maxDeadLetterRateExcess() : g.maxRetryRateExcess();
      gates.add(triggered ? rate(c, max, min) : skipped(c.name(), max, "%", noTrigger));
      gates.add(
          triggered
              ? excess(c, excess, min)
              : skipped(c.name() + "Excess", excess, "pp", noTrigger));
    }
    return gates;
  }

  /**
   * One rate over the step at both versions.
   *
   * @param name the check's name
   * @param what what is counted, for the check's detail
   */
  private record Counted(
      String name,
      String what,
      long failures,
      long samples,
      long primaryFailures,
      long primarySamples) {}

  private static Gate rate(Counted c, BigDecimal maxPercent, long min) {
    return rate(c.name(), maxPercent, c.failures(), c.samples(), min, c.what());
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

  /**
   * The canary's rate against the primary's plus {@code maxPoints} percentage points. The same rule
   * as the absolute check with the limit moved by the primary's rate, which needs the primary's
   * minimum samples to mean anything: before it, a check short of canary samples waits; after it,
   * with the canary's minimum reached, it is skipped (at high steps the primary serves little; the
   * absolute check still holds).
   */
  private static Gate excess(Counted c, BigDecimal maxPoints, long min) {
    String name = c.name() + "Excess";
    if (maxPoints == null) {
      return skipped(name, null, "pp", "not configured");
    }
    double max = maxPoints.doubleValue();
    String counts =
        c.what()
            + ": "
            + c.failures()
            + " of "
            + c.samples()
            + ", at the primary "
            + c.primaryFailures()
            + " of "
            + c.primarySamples();
    if (c.primarySamples() < min) {
      return new Gate(
          name,
          max,
          null,
          "pp",
          c.samples(),
          c.samples() < min ? Verdict.INCONCLUSIVE : Verdict.SKIPPED,
          counts + "; the primary has fewer than " + min + " samples in this step");
    }
    double primaryRate = 100.0 * c.primaryFailures() / c.primarySamples();
    double limit = primaryRate + max;
    Double value =
        c.samples() == 0 ? null : round(100.0 * c.failures() / c.samples() - primaryRate);
    String limitText =
        ", limit the primary's " + fmt(round(primaryRate)) + "% + " + fmt(max) + " points";
    if (c.failures() > limit / 100.0 * Math.max(min, c.samples())) {
      return new Gate(name, max, value, "pp", c.samples(), Verdict.FAIL, counts + limitText);
    }
    if (c.samples() < min) {
      return new Gate(
          name,
          max,
          value,
          "pp",
          c.samples(),
          Verdict.INCONCLUSIVE,
          counts + ", waiting for " + min + " samples");
    }
    return new Gate(name, max, value, "pp", c.samples(), Verdict.PASS, counts + limitText);
  }

  /** Samples a {@code q}-quantile needs before it is judged: {@link RolloutGates#samplesFor}. */
  static long needed(double q, long min) {
    return RolloutGates.samplesFor(q, min);
  }

  /**
   * The canary's {@code q}-quantile against an absolute limit, judged as a rate: the quantile is
   * above the limit when more than {@code 1 - q} of the samples are slower than it. So it fails as
   * soon as that many of the samples the quantile needs were slow (a release 150 ms slower fails
   * after about 20 requests instead of 2,000; {@link RolloutMachine} acts on a latency failure once
   * the step lasted its interval), and passes only with the samples it needs.
   */
  private static Gate latency(
      String name, double q, Duration limit, VersionCounters canary, long min) {
    if (limit == null) {
      return skipped(name, null, "ms", "not configured");
    }
    double max = limit.toNanos() / 1e6;
    long n = canary.requests();
    long needed = needed(q, min);
    Double value = canary.quantile(q);
    double slow = canary.countAbove(max);
    String counts =
        "canary "
            + name
            + " latency"
            + (value == null ? "" : " " + fmt(value) + " ms")
            + ": "
            + Math.round(slow)
            + " of "
            + n
            + " samples slower than "
            + fmt(max)
            + " ms";
    return judgeSlowShare(
        new Gate(name, max, value, "ms", n, Verdict.INCONCLUSIVE, counts),
        new SlowSamples(name, q, needed, slow),
        value == null,
        " samples",
        fmt(max) + " ms");
  }

  /**
   * The canary's {@code q}-quantile as a multiple of the primary's, judged like {@link #latency}
   * with the limit {@code ratio x the primary's quantile} once the primary has the samples its
   * quantile needs (before, the check waits; when the canary has its samples and the primary still
   * has not, as at high steps, it is skipped).
   */
  private static Gate ratio(
      String quantile,
      double q,
      BigDecimal limit,
      VersionCounters canary,
      VersionCounters primary,
      long min) {
    String name = quantile + "Ratio";
    if (limit == null) {
      return skipped(name, null, "x", "not configured");
    }
    double max = limit.doubleValue();
    long n = canary.requests();
    long needed = needed(q, min);
    Double c = canary.quantile(q);
    Double p = primary.quantile(q);
    if (primary.requests() < needed || p == null || p == 0) {
      // Not a reason to wait once the canary has its samples: at high steps the primary serves
      // little, and the absolute checks still hold.
      return new Gate(
          name,
          max,
          null,
          "x",
          n,
          n < needed ? Verdict.INCONCLUSIVE : Verdict.SKIPPED,
          "the primary served "
              + primary.requests()
              + " samples in this step; its "
              + quantile
              + " needs "
              + needed);
    }
    double threshold = max * p;
    double slow = canary.countAbove(threshold);
    Double ratio = c == null ? null : round(c / p);
    String counts =
        "canary "
            + quantile
            + (c == null ? "" : " " + fmt(c) + " ms is " + fmt(ratio) + "x")
            + " the primary's "
            + fmt(p)
            + " ms: "
            + Math.round(slow)
            + " of "
            + n
            + " samples slower than "
            + fmt(max)
            + "x ("
            + fmt(round(threshold))
            + " ms)";
    return judgeSlowShare(
        new Gate(name, max, ratio, "x", n, Verdict.INCONCLUSIVE, counts),
        new SlowSamples(quantile, q, needed, slow),
        c == null,
        " canary samples",
        fmt(max) + "x");
  }

  /** How many of the canary's samples were slower than a quantile check's limit. */
  private record SlowSamples(String quantile, double q, long needed, double slow) {}

  /**
   * The verdict {@link #latency} and {@link #ratio} share: more slow samples than the quantile
   * allows of the samples it needs fails at once; fewer samples than needed (or no quantile yet)
   * waits; otherwise it passes. {@code counted} carries the figures, with its detail the counts.
   */
  private static Gate judgeSlowShare(
      Gate counted, SlowSamples s, boolean noValue, String samplesWord, String limit) {
    long n = counted.samples();
    double share = 1 - s.q();
    long judged = Math.max(s.needed(), n);
    Verdict verdict;
    String detail;
    if (s.slow() > share * judged + 1e-9) {
      verdict = Verdict.FAIL;
      detail = ", more than " + pct(share) + " of the " + judged + " a " + s.quantile() + " needs";
    } else if (n < s.needed() || noValue) {
      verdict = Verdict.INCONCLUSIVE;
      detail = ", waiting for " + s.needed() + samplesWord;
    } else {
      verdict = Verdict.PASS;
      detail = ", limit " + limit;
    }
    return new Gate(
        counted.name(),
        counted.threshold(),
        counted.value(),
        counted.unit(),
        n,
        verdict,
        counted.detail() + detail);
  }

  private static String pct(double share) {
    return fmt(round(share * 100)) + "%";
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
