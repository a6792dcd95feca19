package io.fctoolkit.core;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The checks a rollout makes on the canary's samples of each step. A null field is a check that is
 * not made. Rates are percentages of the samples (0 to 100).
 *
 * @param maxErrorRate most 5xx answers at the canary, in percent of its invocations
 * @param maxP99 highest p99 latency at the canary
 * @param maxP99Ratio highest canary p99 as a multiple of the primary's p99 over the same step (made
 *     only when the primary has at least the step's minimum samples too)
 * @param maxDeadLetterRate most records dead-lettered by the canary, in percent of the records it
 *     finished (Kafka triggers)
 * @param maxRetryRate most retried delivery attempts at the canary, in percent of the records it
 *     finished (Kafka triggers)
 */
public record RolloutGates(
    BigDecimal maxErrorRate,
    Duration maxP99,
    BigDecimal maxP99Ratio,
    BigDecimal maxDeadLetterRate,
    BigDecimal maxRetryRate) {

  /** 1% errors, 1% dead letters, 10% retries; no latency check. */
  public static final RolloutGates DEFAULT =
      new RolloutGates(BigDecimal.ONE, null, null, BigDecimal.ONE, BigDecimal.valueOf(10));

  public RolloutGates {
    checkRate("maxErrorRate", maxErrorRate);
    checkRate("maxDeadLetterRate", maxDeadLetterRate);
    checkRate("maxRetryRate", maxRetryRate);
    if (maxP99 != null && (maxP99.isNegative() || maxP99.isZero())) {
      throw new IllegalArgumentException("maxP99 must be positive, was " + maxP99);
    }
    if (maxP99Ratio != null && maxP99Ratio.compareTo(BigDecimal.ONE) < 0) {
      throw new IllegalArgumentException(
          "maxP99Ratio must be 1 or more (a multiple of the primary's p99), was "
              + maxP99Ratio.toPlainString());
    }
  }

  private static void checkRate(String name, BigDecimal rate) {
    if (rate != null && (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0)) {
      throw new IllegalArgumentException(
          name + " must be a percentage from 0 to 100, was " + rate.toPlainString());
    }
  }
}
