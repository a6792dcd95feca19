package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How many instances of a version may run, and when an idle one is stopped.
 *
 * @param minInstances instances kept running even when idle (0 allows scale to zero)
 * @param maxInstances the most instances the platform may start for one version
 * @param idleTimeout how long an instance may stay idle before it is stopped
 */
public record Scaling(int minInstances, int maxInstances, Duration idleTimeout) {

  public static final Scaling DEFAULT = new Scaling(0, 10, Duration.ofMinutes(5));

  public Scaling {
    requireNonNull(idleTimeout, "idleTimeout");
    if (minInstances < 0) {
      throw new IllegalArgumentException("minInstances must be 0 or more, was " + minInstances);
    }
    if (maxInstances < 1 || maxInstances < minInstances) {
      throw new IllegalArgumentException(
          "maxInstances must be at least 1 and at least minInstances ("
              + minInstances
              + "), was "
              + maxInstances);
    }
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
    }
  }
}
