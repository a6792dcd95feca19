package io.fctoolkit.runtime.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram in milliseconds with exponential buckets (about 12% wide), good
 * enough for p50/p95/p99 and exposed as a Prometheus histogram.
 */
public final class Histogram {

  static final double[] BOUNDS;

  static {
    int n = 0;
    double[] tmp = new double[200];
    for (double b = 0.25; b < 300_000; b *= 1.12) {
      tmp[n++] = Math.round(b * 100) / 100.0;
    }
    BOUNDS = java.util.Arrays.copyOf(tmp, n);
  }

  private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
  private final LongAdder count = new LongAdder();
  private final DoubleAdder sum = new DoubleAdder();

  public void record(double ms) {
    int i = java.util.Arrays.binarySearch(BOUNDS, ms);
    int bucket = i >= 0 ? i : -i - 1;
    counts.incrementAndGet(bucket);
    count.increment();
    sum.add(ms);
  }

  public long count() {
    return count.sum();
  }

  public double sum() {
    return sum.sum();
  }

  /** The count of each bucket now (one more than {@link #BOUNDS}: the overflow). */
  long[] bucketCounts() {
    long[] snapshot = new long[counts.length()];
    for (int i = 0; i < snapshot.length; i++) {
      snapshot[i] = counts.get(i);
    }
    return snapshot;
  }

  /** The q-quantile (0..1), interpolated inside its bucket; 0 when empty. */
  public double quantile(double q) {
    return quantile(snapshot(), q);
  }

  /**
   * The bucket counts now, for the difference between two moments ({@link #quantile(long[],
   * double)}).
   */
  long[] snapshot() {
    long[] snapshot = new long[counts.length()];
    for (int i = 0; i < snapshot.length; i++) {
      snapshot[i] = counts.get(i);
    }
    return snapshot;
  }

  /** The q-quantile (0..1) of bucket counts taken with {@link #snapshot()}; 0 when empty. */
  static double quantile(long[] snapshot, double q) {
    long total = 0;
    for (long c : snapshot) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < snapshot.length; i++) {
      if (seen + snapshot[i] >= rank && snapshot[i] > 0) {
        double lower = i == 0 ? 0 : BOUNDS[i - 1];
        double upper = i < BOUNDS.length ? BOUNDS[i] : BOUNDS[BOUNDS.length - 1] * 1.12;
        double within = (rank - seen) / snapshot[i];
        return Math.round((lower + (upper - lower) * within) * 100) / 100.0;
      }
      seen += snapshot[i];
    }
    return BOUNDS[BOUNDS.length - 1];
  }

  /** Writes the Prometheus {@code _bucket}, {@code _sum} and {@code _count} lines. */
  void writePrometheus(StringBuilder out, String name, String labels) {
    long cumulative = 0;
    // Every fourth bound keeps the exposition readable (about 1.57x per bucket).
    for (int i = 0; i < BOUNDS.length; i++) {
      cumulative += counts.get(i);
      if (i % 4 == 3) {
        out.append(name)
            .append("_bucket{")
            .append(labels)
            .append(",le=\"")
            .append(BOUNDS[i] / 1000.0)
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
    }
    cumulative += counts.get(BOUNDS.length);
    out.append(name)
        .append("_bucket{")
        .append(labels)
        .append(",le=\"+Inf\"} ")
        .append(cumulative)
        .append('\n');
    out.append(name)
        .append("_sum{")
        .append(labels)
        .append("} ")
        .append(sum() / 1000.0)
        .append('\n');
    out.append(name).append("_count{").append(labels).append("} ").append(count()).append('\n');
  }
}
