package io.fctoolkit.runtime.kafka.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the delay before retry n is uniform in [0, min(max, initial
 * * 2^(n-1))], which spreads retries of many records failing together instead of synchronising
 * them.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;

  public Backoff(Duration initial, Duration max) {
    this.initialMillis = Math.max(0, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
  }

  /** The upper bound of the delay after the given failed attempt (1 = the first attempt). */
  public long ceilingMillis(int failedAttempt) {
    int shift = Math.min(Math.max(failedAttempt - 1, 0), 40);
    long ceiling = initialMillis << shift;
    if (ceiling < 0 || ceiling > maxMillis || (shift > 0 && (ceiling >> shift) != initialMillis)) {
      return maxMillis;
    }
    return ceiling;
  }

  /** A random delay after the given failed attempt. */
  public long delayMillis(int failedAttempt) {
    long ceiling = ceilingMillis(failedAttempt);
    return ceiling == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
  }
}
