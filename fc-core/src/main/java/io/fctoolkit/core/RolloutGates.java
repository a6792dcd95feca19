package io.fctoolkit.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a rollout makes on the canary's samples of each step. A null field is a check that is
 * not made. Rates are percentages of the samples (0 to 100).
 *
 * <p>Each measure has an absolute limit and one relative to the primary over the same step. For
 * latency the relative limit is a ratio of quantiles. For the rates it is an excess in percentage
 * points ({@code canary rate - primary rate}), not a ratio: at the small rates a healthy primary
 * has (often 0 failures in a step) a ratio is undefined or jumps from 1x to 5x on a single failure,
 * while a difference of two proportions stays finite, falls back to the absolute limit when the
 * primary has none, and is what a user's failure budget is counted in.
 *
 * @param maxErrorRate most 5xx answers at the canary, in percent of its invocations
 * @param maxP99 highest p99 latency at the canary
 * @param maxP99Ratio highest canary p99 as a multiple of the primary's p99 over the same step (made
 *     only when the primary has at least the step's minimum samples too)
 * @param maxDeadLetterRate most records dead-lettered by the canary, in percent of the records it
 *     finished (Kafka triggers)
 * @param maxRetryRate most retried delivery attempts at the canary, in percent of the records it
 *     finished (Kafka triggers)
 * @param maxP95 highest p95 latency at the canary
 * @param maxP95Ratio highest canary p95 as a multiple of the primary's p95 over the same step (made
 *     only when the primary has at least the step's minimum samples too)
 * @param maxErrorRateExcess most percentage points the canary's error rate may lie above the
 *     primary's over the same step
 * @param maxDeadLetterRateExcess most percentage points the canary's dead-letter rate may lie above
 *     the primary's over the same step
 * @param maxRetryRateExcess most percentage points the canary's retry rate may lie above the
 *     primary's over the same step
 */
public record RolloutGates(
    BigDecimal maxErrorRate,
    Duration maxP99,
    BigDecimal maxP99Ratio,
    BigDecimal maxDeadLetterRate,
    BigDecimal maxRetryRate,
    Duration maxP95,
    BigDecimal maxP95Ratio,
    BigDecimal maxErrorRateExcess,
    BigDecimal maxDeadLetterRateExcess,
    BigDecimal maxRetryRateExcess) {

  /** 1% errors, 1% dead letters, 10% retries; no latency check, no check against the primary. */
  public static final RolloutGates DEFAULT =
      new RolloutGates(BigDecimal.ONE, null, null, BigDecimal.ONE, BigDecimal.valueOf(10));

  /** The absolute rate checks and the p99 checks only (the fields before p95 existed). */
  public RolloutGates(
      BigDecimal maxErrorRate,
      Duration maxP99,
      BigDecimal maxP99Ratio,
      BigDecimal maxDeadLetterRate,
      BigDecimal maxRetryRate) {
    this(
        maxErrorRate,
        maxP99,
        maxP99Ratio,
        maxDeadLetterRate,
        maxRetryRate,
        null,
        null,
        null,
        null,
        null);
  }

  public RolloutGates {
    checkRate("maxErrorRate", maxErrorRate);
    checkRate("maxDeadLetterRate", maxDeadLetterRate);
    checkRate("maxRetryRate", maxRetryRate);
    checkRate("maxErrorRateExcess", maxErrorRateExcess);
    checkRate("maxDeadLetterRateExcess", maxDeadLetterRateExcess);
    checkRate("maxRetryRateExcess", maxRetryRateExcess);
    checkLatency("maxP95", maxP95);
    checkLatency("maxP99", maxP99);
    checkRatio("maxP95Ratio", maxP95Ratio);
    checkRatio("maxP99Ratio", maxP99Ratio);
  }

  /** Samples beyond a quantile that make it a measure rather than an anecdote. */
  public static final int QUANTILE_TAIL = 20;

  /**
   * Samples a latency check of the {@code q}-quantile needs before it can pass: at least {@link
   * #QUANTILE_TAIL} beyond the quantile (a p95 400, a p99 2,000), and the step's minimum. With
   * fewer a handful of requests make the quantile: a p99 of 200 samples is the second slowest, so
   * one stall of the machine decides it.
   */
  public static long samplesFor(double q, long minSamples) {
    return Math.max(minSamples, (long) Math.ceil(QUANTILE_TAIL / (1 - q) - 1e-9));
  }

  /** A builder with no check set. */
  public static Builder builder() {
    return new Builder(new RolloutGates(null, null, null, null, null));
  }

  /** A builder that starts from these checks. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The checks in words, in the order the runtime makes them, e.g. {@code errors <= 1%, p95 <= 1.5x
   * the primary's}; "no checks" when none is set.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    rate(parts, "errors", maxErrorRate, maxErrorRateExcess);
    latency(parts, "p95", maxP95, maxP95Ratio);
    latency(parts, "p99", maxP99, maxP99Ratio);
    rate(parts, "dead letters", maxDeadLetterRate, maxDeadLetterRateExcess);
    rate(parts, "retries", maxRetryRate, maxRetryRateExcess);
    return parts.isEmpty() ? "no checks" : String.join(", ", parts);
  }

  private static void rate(List<String> parts, String what, BigDecimal max, BigDecimal excess) {
    if (max != null) {
      parts.add(what + " <= " + RolloutStrategy.plain(max).toPlainString() + "%");
    }
    if (excess != null) {
      parts.add(
          what
              + " <= the primary's + "
              + RolloutStrategy.plain(excess).toPlainString()
              + " percentage points");
    }
  }

  private static void latency(List<String> parts, String what, Duration max, BigDecimal ratio) {
    if (max != null) {
      parts.add(what + " <= " + max.toMillis() + " ms");
    }
    if (ratio != null) {
      parts.add(what + " <= " + RolloutStrategy.plain(ratio).toPlainString() + "x the primary's");
    }
  }

  private static void checkRate(String name, BigDecimal rate) {
    if (rate != null && (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0)) {
      throw new IllegalArgumentException(
          name + " must be a percentage from 0 to 100, was " + rate.toPlainString());
    }
  }

  private static void checkLatency(String name, Duration max) {
    if (max != null && (max.isNegative() || max.isZero())) {
      throw new IllegalArgumentException(name + " must be positive, was " + max);
    }
  }

  private static void checkRatio(String name, BigDecimal ratio) {
    if (ratio != null && ratio.compareTo(BigDecimal.ONE) < 0) {
      throw new IllegalArgumentException(
          name
              + " must be 1 or more (a multiple of the primary's latency), was "
              + ratio.toPlainString());
    }
  }

  /** Sets checks one by one; unset ones keep the value of the gates it started from. */
  public static final class Builder {
    private BigDecimal maxErrorRate;
    private Duration maxP99;
    private BigDecimal maxP99Ratio;
    private BigDecimal maxDeadLetterRate;
    private BigDecimal maxRetryRate;
    private Duration maxP95;
    private BigDecimal maxP95Ratio;
    private BigDecimal maxErrorRateExcess;
    private BigDecimal maxDeadLetterRateExcess;
    private BigDecimal maxRetryRateExcess;

    private Builder(RolloutGates g) {
      maxErrorRate = g.maxErrorRate;
      maxP99 = g.maxP99;
      maxP99Ratio = g.maxP99Ratio;
      maxDeadLetterRate = g.maxDeadLetterRate;
      maxRetryRate = g.maxRetryRate;
      maxP95 = g.maxP95;
      maxP95Ratio = g.maxP95Ratio;
      maxErrorRateExcess = g.maxErrorRateExcess;
      maxDeadLetterRateExcess = g.maxDeadLetterRateExcess;
      maxRetryRateExcess = g.maxRetryRateExcess;
    }

    public Builder maxErrorRate(BigDecimal v) {
      maxErrorRate = v;
      return this;
    }

    public Builder maxP99(Duration v) {
      maxP99 = v;
      return this;
    }

    public Builder maxP99Ratio(BigDecimal v) {
      maxP99Ratio = v;
      return this;
    }

    public Builder maxDeadLetterRate(BigDecimal v) {
      maxDeadLetterRate = v;
      return this;
    }

    public Builder maxRetryRate(BigDecimal v) {
      maxRetryRate = v;
      return this;
    }

    public Builder maxP95(Duration v) {
      maxP95 = v;
      return this;
    }

    public Builder maxP95Ratio(BigDecimal v) {
      maxP95Ratio = v;
      return this;
    }

    public Builder maxErrorRateExcess(BigDecimal v) {
      maxErrorRateExcess = v;
      return this;
    }

    public Builder maxDeadLetterRateExcess(BigDecimal v) {
      maxDeadLetterRateExcess = v;
      return this;
    }

    public Builder maxRetryRateExcess(BigDecimal v) {
      maxRetryRateExcess = v;
      return this;
    }

    /**
     * The gates.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public RolloutGates build() {
      return new RolloutGates(
          maxErrorRate,
          maxP99,
          maxP99Ratio,
          maxDeadLetterRate,
          maxRetryRate,
          maxP95,
          maxP95Ratio,
          maxErrorRateExcess,
          maxDeadLetterRateExcess,
          maxRetryRateExcess);
    }
  }
}
