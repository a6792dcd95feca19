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
 */
public record PoolSettings(
    int queueCapacity,
    Duration queueTimeout,
    Duration startTimeout,
    Duration retireIdle,
    Path pidDir) {}
