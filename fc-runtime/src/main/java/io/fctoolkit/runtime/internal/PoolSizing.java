package io.fctoolkit.runtime.internal;

/**
 * How many instances one version's pool should have, and how many to start now: a pure function of
 * the pool's counts, so the policy is tested without instances.
 *
 * <p>The target covers the demand (requests in flight and queued, at {@code concurrency} each),
 * plus the standby headroom and at least the minimum while an alias routes to the version, never
 * more than the maximum. Launches run at most {@code maxParallelStarts} at a time: on a small
 * machine every JVM start takes CPU from the instances already serving and from the other starts,
 * so ten at once make each of them (and the requests they should take) wait longer than a few at a
 * time; a finished launch starts the next one.
 *
 * @param concurrency requests one instance takes at once
 * @param minInstances instances kept while routed
 * @param maxInstances the most instances of the version
 * @param standby ready instances kept ahead of demand while routed
 * @param maxParallelStarts launches in progress at once
 */
record PoolSizing(
    int concurrency, int minInstances, int maxInstances, int standby, int maxParallelStarts) {

  PoolSizing {
    if (concurrency < 1 || maxInstances < 1 || maxParallelStarts < 1) {
      throw new IllegalArgumentException(
          "concurrency, maxInstances and maxParallelStarts must be at least 1");
    }
  }

  /**
   * The instances the pool should have.
   *
   * @param demand requests in flight plus requests queued
   * @param routed whether an alias routes to the version (else no minimum and no standby)
   */
  int target(int demand, boolean routed) {
    long busy = (Math.max(0, demand) + (long) concurrency - 1) / concurrency;
    long want = routed ? Math.max(minInstances, busy + standby) : busy;
    return (int) Math.min(maxInstances, want);
  }

  /**
   * Launches to begin now.
   *
   * @param instances instances in the pool (ready)
   * @param starting launches in progress
   */
  int toStart(int instances, int starting, int demand, boolean routed) {
    int missing = target(demand, routed) - instances - starting;
    int room = maxParallelStarts - starting;
    return Math.max(0, Math.min(missing, room));
  }

  /**
   * How many instances an idle reap keeps: the target, so standby instances that idle are not
   * stopped while the version is routed.
   */
  int keep(int demand, boolean routed) {
    return target(demand, routed);
  }
}
