package io.fctoolkit.runtime.kafka.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to start again a process that keeps exiting: the n-th attempt in a row waits between half
 * and all of {@code min(max, initial * 2^(n-1))}, and the count starts over once the process has
 * stayed up for {@code stableAfter}. Half the delay is fixed so that a crash loop never spins; the
 * other half is random so that restarts do not fall into step with anything else.
 */
public final class RestartSchedule {
  private final Backoff backoff;
  private final Duration stableAfter;
  private int attempts;

  public RestartSchedule(Duration initial, Duration max, Duration stableAfter) {
    this.backoff = new Backoff(requireNonNull(initial, "initial"), requireNonNull(max, "max"));
    this.stableAfter = requireNonNull(stableAfter, "stableAfter");
  }

  /** The process exited after running for {@code up}; returns the delay before starting it. */
  public synchronized long exitedAfter(Duration up) {
    if (up.compareTo(stableAfter) >= 0) {
      attempts = 0; // it stayed up: this exit is a new story, not part of a loop
    }
    return next();
  }

  /** A start did not bring the process up; returns the delay before the next one. */
  public synchronized long startFailed() {
    return next();
  }

  /** The attempt the last returned delay is for (1 = the first after an exit). */
  public synchronized int attempt() {
    return attempts;
  }

  private long next() {
    attempts++;
    long ceiling = backoff.ceilingMillis(attempts);
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }
}
