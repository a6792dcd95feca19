package io.fctoolkit.runtime.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Runtime-wide knobs of every version pool.
 *
 * @param queueCapacity requests held per version while all slots are busy; more get 429
 * @param queueTimeout the longest a request waits for a slot before it gets 503
 * @param startTimeout the longest an instance may take to report ready
 * @param retireIdle how long an instance of a version no alias routes to may stay idle
 * @param pidDir where instance pid files live, so a restarted runtime can reap orphans
 * @param maxParallelStarts instance launches of one version in progress at once
 */
public record PoolSettings(
    int queueCapacity,
    Duration queueTimeout,
    Duration startTimeout,
    Duration retireIdle,
    Path pidDir,
    int maxParallelStarts) {

  public PoolSettings {
    if (maxParallelStarts < 1) {
      throw new IllegalArgumentException(
          "maxParallelStarts must be at least 1, was " + maxParallelStarts);
    }
  }

  /** With {@link #defaultParallelStarts()}. */
  public PoolSettings(
      int queueCapacity,
      Duration queueTimeout,
      Duration startTimeout,
      Duration retireIdle,
      Path pidDir) {
    this(queueCapacity, queueTimeout, startTimeout, retireIdle, pidDir, defaultParallelStarts());
  }

  /**
   * {@code fc.runtime.maxParallelStarts} if set, else the number of cores (at least 2): a JVM start
   * is CPU-bound, so more at once than cores only share the same CPU (and take it from the
   * instances that serve), while fewer leave a core idle during a burst.
   */
  public static int defaultParallelStarts() {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Integer.getInteger("fc.runtime.maxParallelStarts", Math.max(2, cores)));
  }
}
