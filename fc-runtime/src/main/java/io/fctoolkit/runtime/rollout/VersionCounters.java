package io.fctoolkit.runtime.rollout;

import static java.util.Objects.requireNonNull;

/**
 * Counters of one version since the runtime started (or, after {@link #minus}, over one step):
 * invocations and their 5xx answers and latencies, and the trigger records it finished.
 *
 * @param requests answered invocations (trigger deliveries included)
 * @param errors of which 5xx
 * @param bounds upper bounds of the latency buckets, in ms (shared, not copied)
 * @param latency count per bucket; one more than {@code bounds} (the overflow bucket)
 * @param records trigger records this version finished: delivered or dead-lettered
 * @param retries delivery attempts at this version that were retried
 * @param deadLetters records this version failed for good (dead-lettered, parked or dropped)
 */
public record VersionCounters(
    long requests,
    long errors,
    double[] bounds,
    long[] latency,
    long records,
    long retries,
    long deadLetters) {

  public VersionCounters {
    requireNonNull(bounds, "bounds");
    requireNonNull(latency, "latency");
    if (latency.length != bounds.length + 1) {
      throw new IllegalArgumentException(
          "latency needs " + (bounds.length + 1) + " buckets, has " + latency.length);
    }
  }

  /** No samples, with these bucket bounds. */
  public static VersionCounters empty(double[] bounds) {
    return new VersionCounters(0, 0, bounds, new long[bounds.length + 1], 0, 0, 0);
  }

  /**
   * What happened since {@code start}. A counter that went down (the runtime restarted and counts
   * from zero again) counts from zero.
   */
  public VersionCounters minus(VersionCounters start) {
    long[] diff = new long[latency.length];
    boolean reset = requests < start.requests;
    for (int i = 0; i < diff.length; i++) {
      diff[i] = reset ? latency[i] : Math.max(0, latency[i] - start.latency[i]);
    }
    return new VersionCounters(
        reset ? requests : requests - start.requests,
        reset ? errors : Math.max(0, errors - start.errors),
        bounds,
        diff,
        since(records, start.records),
        since(retries, start.retries),
        since(deadLetters, start.deadLetters));
  }

  private static long since(long now, long start) {
    return now < start ? now : now - start;
  }

  /**
   * The q-quantile of the latency in ms (0..1), interpolated inside its bucket; null when there is
   * no sample.
   */
  public Double quantile(double q) {
    long total = 0;
    for (long c : latency) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < latency.length; i++) {
      if (latency[i] > 0 && seen + latency[i] >= rank) {
        double lower = i == 0 ? 0 : bounds[i - 1];
        double upper = i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 1.12;
        double within = (rank - seen) / latency[i];
        return Math.round((lower + (upper - lower) * within) * 100) / 100.0;
      }
      seen += latency[i];
    }
    return bounds[bounds.length - 1];
  }

  /**
   * How many samples were slower than {@code ms}: whole buckets above it, and of the bucket it lies
   * in the share above it (samples spread evenly inside a bucket, as {@link #quantile} assumes).
   */
  public double countAbove(double ms) {
    double above = 0;
    for (int i = 0; i < latency.length; i++) {
      if (latency[i] == 0) {
        continue;
      }
      double lower = i == 0 ? 0 : bounds[i - 1];
      double upper = i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 1.12;
      if (lower >= ms) {
        above += latency[i];
      } else if (upper > ms) {
        above += latency[i] * (upper - ms) / (upper - lower);
      }
    }
    return above;
  }
}
