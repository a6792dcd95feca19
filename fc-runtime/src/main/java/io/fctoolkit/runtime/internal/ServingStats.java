package io.fctoolkit.runtime.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one version or alias: invocations, errors, latency, cold starts, requests that waited
 * for one.
 */
public final class ServingStats {
  final LongAdder invocations = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final Histogram latency = new Histogram();
  final LongAdder coldStarts = new LongAdder();
  final Histogram coldStartMs = new Histogram();
  final LongAdder crashes = new LongAdder();
  // Requests that waited in the queue for an instance that was starting and took its first slots:
  // the ones a standby headroom is there to spare.
  final LongAdder startWaits = new LongAdder();
  // Requests that found no free slot and waited in the queue (for a slot or a start).
  final LongAdder queueWaits = new LongAdder();
  final Histogram queueWaitLatency = new Histogram();
  final Histogram startWaitLatency = new Histogram();

  /** Records one answered request; 5xx statuses count as errors. */
  public void answered(int status, double ms) {
    invocations.increment();
    latency.record(ms);
    if (status >= 500) {
      errors.increment();
    }
    if (status == 429) {
      rejected.increment();
    }
  }
}
