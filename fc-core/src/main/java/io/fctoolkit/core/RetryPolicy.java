package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a trigger retries a failed delivery: exponential backoff with full jitter, capped.
 *
 * @param attempts total delivery attempts including the first (1 means no retry)
 * @param initialBackoff delay before the first retry
 * @param maxBackoff the largest delay between attempts
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30));

  public RetryPolicy {
    requireNonNull(initialBackoff, "initialBackoff");
    requireNonNull(maxBackoff, "maxBackoff");
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException("attempts must be between 1 and 100, was " + attempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initialBackoff <= maxBackoff, was "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
  }
}
