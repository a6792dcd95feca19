package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one instance of a function gets: memory, how many requests it serves at once, and how long
 * one request may take.
 *
 * @param memoryMb memory of one instance in MiB; the JVM heap is sized from it
 * @param concurrency requests one instance serves at the same time (at least 1)
 * @param timeout the longest one request may run before it is answered with 504
 */
public record Resources(int memoryMb, int concurrency, Duration timeout) {

  public static final Resources DEFAULT = new Resources(512, 10, Duration.ofSeconds(60));

  public Resources {
    requireNonNull(timeout, "timeout");
    if (memoryMb < 64) {
      throw new IllegalArgumentException("memoryMb must be at least 64, was " + memoryMb);
    }
    if (concurrency < 1 || concurrency > 1000) {
      throw new IllegalArgumentException(
          "concurrency must be between 1 and 1000, was " + concurrency);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }
}
