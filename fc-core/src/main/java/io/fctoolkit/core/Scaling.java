package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How many instances of a version may run, and when an idle one is stopped.
 *
 * @param minInstances instances kept running even when idle (0 allows scale to zero)
 * @param maxInstances the most instances the platform may start for one version
 * @param idleTimeout how long an instance may stay idle before it is stopped
 * @param standby started, ready instances kept ahead of demand while an alias routes to the version
 *     (hot standby), so a rising load takes a ready instance instead of waiting for a start; 0
 *     turns it off. Each costs the function's memory setting while it waits. Platforms without the
 *     notion (Knative) ignore it.
 */
public record Scaling(int minInstances, int maxInstances, Duration idleTimeout, int standby) {

  /** One ready instance ahead of demand: the next start begins when the last spare is taken. */
  public static final int DEFAULT_STANDBY = 1;

  /** The most standby instances a version may ask for. */
  public static final int MAX_STANDBY = 1_000;

  public static final Scaling DEFAULT = new Scaling(0, 10, Duration.ofMinutes(5), DEFAULT_STANDBY);

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
    if (standby < 0 || standby > MAX_STANDBY) {
      throw new IllegalArgumentException(
          "standby must be 0 (off) to " + MAX_STANDBY + ", was " + standby);
    }
  }

  /** The default standby headroom ({@value #DEFAULT_STANDBY}). */
  public Scaling(int minInstances, int maxInstances, Duration idleTimeout) {
    this(minInstances, maxInstances, idleTimeout, DEFAULT_STANDBY);
  }

  /** This scaling with another standby headroom. */
  public Scaling withStandby(int standby) {
    return new Scaling(minInstances, maxInstances, idleTimeout, standby);
  }

  /**
   * The memory the standby headroom holds while it waits: {@code standby x memoryMb}, though never
   * more instances than {@code maxInstances}.
   */
  public long standbyMemoryMb(int memoryMb) {
    return (long) Math.min(standby, maxInstances) * memoryMb;
  }
}
