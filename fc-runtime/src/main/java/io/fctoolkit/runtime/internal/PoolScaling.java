package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When one version's pool starts and stops instances: whether an alias routes to it (or moved away,
 * so it retires quickly), how long a warm-up for an alias move keeps instances, the pause of
 * background starts after a failed start, and which of the launches {@link PoolSizing} asks for are
 * standby.
 *
 * <p>Not thread-safe: the pool calls it under its lock. Times are {@link System#nanoTime()} values
 * passed in, so the decisions are tested without instances or clocks.
 */
final class PoolScaling {

  /** How long starts no request asked for wait after a failed start. */
  static final Duration START_RETRY = Duration.ofSeconds(5);

  private final PoolSizing sizing;
  private final Duration idleTimeout;
  private final Duration retireIdle;
  private boolean routed;
  private boolean retiring;
  private long keepUntilNanos;
  // After a failed start, starts that no request asked for (standby, minimum, the next bounded
  // launch) wait until then, so a function that cannot start is not relaunched every reap.
  private long backgroundStartsAtNanos;

  /**
   * @param sizing the counts policy
   * @param idleTimeout how long an instance may idle while the version is routed or never was
   * @param retireIdle how long an instance may idle once no alias routes to the version any more
   * @param nowNanos the time now; background starts are allowed from then
   */
  PoolScaling(PoolSizing sizing, Duration idleTimeout, Duration retireIdle, long nowNanos) {
    this.sizing = sizing;
    this.idleTimeout = idleTimeout;
    this.retireIdle = retireIdle;
    this.backgroundStartsAtNanos = nowNanos;
  }

  /** The scaling of {@code version}'s pool as its configuration and the runtime's settings say. */
  static PoolScaling of(Version version, PoolSettings settings, long nowNanos) {
    var scaling = version.config().scaling();
    PoolSizing sizing =
        new PoolSizing(
            version.config().resources().concurrency(),
            scaling.minInstances(),
            scaling.maxInstances(),
            scaling.standby(),
            settings.maxParallelStarts());
    return new PoolScaling(sizing, scaling.idleTimeout(), settings.retireIdle(), nowNanos);
  }

  boolean routed() {
    return routed;
  }

  /**
   * An alias routes here, or no longer does. A version an alias moved away from retires (its idle
   * instances stop after {@code retireIdle}); one never routed (invoked by number) keeps the normal
   * idle timeout. Ends any keep from {@link #keepFor}: from now on routing alone decides.
   */
  void route(boolean routed) {
    this.retiring = !routed && (this.routed || this.retiring);
    this.routed = routed;
    this.keepUntilNanos = 0;
  }

  /** Keeps every instance, however long idle, for {@code keep} from {@code nowNanos}. */
  void keepFor(Duration keep, long nowNanos) {
    keepUntilNanos = Math.max(keepUntilNanos, nowNanos + keep.toNanos());
  }

  /** A launch ended with a ready instance: background starts may follow at once. */
  void started(long nowNanos) {
    backgroundStartsAtNanos = nowNanos;
  }

  /** A launch failed: background starts pause for {@link #START_RETRY}. */
  void startFailed(long nowNanos) {
    backgroundStartsAtNanos = nowNanos + START_RETRY.toNanos();
  }

  /** {@code count} bounded by the maximum instances (and not below zero), for a warm-up. */
  int warmTarget(int count) {
    return Math.min(Math.max(count, 0), sizing.maxInstances());
  }

  /**
   * The launches to begin now, in order, each {@code true} when it is standby (the ready and
   * starting instances before it already cover the demand, so nobody waits for it).
   *
   * @param requested whether a request asked for them (a request waits: no pause after a failure)
   */
  List<Boolean> launches(
      int instances, int starting, int demand, boolean requested, long nowNanos) {
    if (!requested && nowNanos - backgroundStartsAtNanos < 0) {
      return List.of();
    }
    int n = sizing.toStart(instances, starting, demand, routed);
    int covering = sizing.target(demand, false);
    List<Boolean> standby = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      standby.add(routed && instances + starting + k >= covering);
    }
    return standby;
  }

  /** How many instances an idle reap keeps: the minimum and the standby while routed. */
  int keep(int demand) {
    return sizing.keep(demand, routed);
  }

  /**
   * How long an instance may be idle before a reap stops it. Instances warmed for an alias move
   * stay until the move is done, whatever the idle timeout (a short one would stop them between the
   * warm-up and the switch).
   */
  long idleNanos(long nowNanos) {
    if (nowNanos < keepUntilNanos) {
      return Long.MAX_VALUE;
    }
    return routed || !retiring ? idleTimeout.toNanos() : retireIdle.toNanos();
  }
}
