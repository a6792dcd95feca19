package io.fctoolkit.runtime.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What the runtime counted for version 1 of one function, read from its Prometheus text ({@code GET
 * /metrics}): the benchmark's source for the requests that waited for a start or a slot, which the
 * client cannot tell apart from the others.
 *
 * @param invocations requests the runtime answered ({@code fc_invocations_total})
 * @param coldStarts instances started ({@code fc_cold_starts_total})
 * @param queueWaits requests that found no free slot and queued ({@code fc_queue_waits_total})
 * @param queueWaitSumMs their latencies summed
 * @param startWaits requests a starting instance took first ({@code fc_start_waits_total})
 * @param startWaitCount the count of their latency histogram (equal to {@code startWaits})
 * @param startWaitSumMs their latencies summed
 * @param startWaitP99 the histogram bucket holding their p99, as {@code 160-250} (ms; the
 *     exposition's buckets are about 1.57 times wide), or {@code -} when none waited
 */
record ServedCounts(
    long invocations,
    long coldStarts,
    long queueWaits,
    double queueWaitSumMs,
    long startWaits,
    long startWaitCount,
    double startWaitSumMs,
    String startWaitP99) {

  /**
   * Reads the counts of version 1 of {@code function}.
   *
   * @throws IllegalStateException when a series is missing: a renamed metric or other labels must
   *     fail the benchmark, not read as zero
   */
  static ServedCounts read(String prometheus, String function) {
    String labels = "{function=\"" + function + "\",version=\"1\"}";
    return new ServedCounts(
        (long) value(prometheus, "fc_invocations_total" + labels),
        (long) value(prometheus, "fc_cold_starts_total" + labels),
        (long) value(prometheus, "fc_queue_waits_total" + labels),
        value(prometheus, "fc_queue_wait_request_duration_seconds_sum" + labels) * 1000,
        (long) value(prometheus, "fc_start_waits_total" + labels),
        (long) value(prometheus, "fc_start_wait_request_duration_seconds_count" + labels),
        value(prometheus, "fc_start_wait_request_duration_seconds_sum" + labels) * 1000,
        bucketQuantile(prometheus, "fc_start_wait_request_duration_seconds", function, 0.99));
  }

  /** The mean latency of the queued requests, or NaN when none queued. */
  double queueWaitMeanMs() {
    return queueWaits == 0 ? Double.NaN : queueWaitSumMs / queueWaits;
  }

  /** The mean latency of the requests that waited for a start, or NaN when none did. */
  double startWaitMeanMs() {
    return startWaits == 0 ? Double.NaN : startWaitSumMs / startWaits;
  }

  /**
   * Checks these counts against what the client saw, so that a count read from the wrong series
   * fails the run instead of printing a plausible zero.
   *
   * @param sent requests the client sent
   * @param answered requests the client got an HTTP answer for (those that timed out on the client
   *     may or may not have reached the runtime)
   * @throws IllegalStateException naming the count that disagrees
   */
  void requireConsistent(int sent, int answered) {
    List<String> wrong = new ArrayList<>();
    if (invocations < answered || invocations > sent) {
      wrong.add(
          "fc_invocations_total is "
              + invocations
              + ", expected between the "
              + answered
              + " answered and the "
              + sent
              + " sent");
    }
    if (startWaits != startWaitCount) {
      wrong.add(
          "fc_start_waits_total ("
              + startWaits
              + ") differs from its latency histogram's count ("
              + startWaitCount
              + ")");
    }
    if (startWaits > queueWaits) {
      // a request waits for a start only from the queue
      wrong.add(
          "fc_start_waits_total ("
              + startWaits
              + ") exceeds fc_queue_waits_total ("
              + queueWaits
              + ")");
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(
          "The runtime's counts disagree with the run: " + String.join("; ", wrong));
    }
  }

  /**
   * The value of the Prometheus sample {@code series} (name and labels, as the runtime writes
   * them).
   *
   * @throws IllegalStateException when the text has no such sample
   */
  static double value(String prometheus, String series) {
    for (String line : prometheus.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new IllegalStateException(
        "The runtime's /metrics has no sample " + series + "; was the metric renamed?");
  }

  /**
   * The bounds (ms) of the first bucket of histogram {@code family} (version 1 of {@code function})
   * that holds quantile {@code q}, as {@code 160-250}; {@code -} when the histogram is empty.
   *
   * @throws IllegalStateException when the text has no bucket of that histogram
   */
  static String bucketQuantile(String prometheus, String family, String function, double q) {
    String prefix = family + "_bucket{function=\"" + function + "\",version=\"1\",le=\"";
    List<double[]> buckets = new ArrayList<>();
    for (String line : prometheus.split("\n")) {
      if (line.startsWith(prefix)) {
        String le = line.substring(prefix.length(), line.indexOf('"', prefix.length()));
        double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        buckets.add(
            new double[] {
              le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), count
            });
      }
    }
    if (buckets.isEmpty()) {
      throw new IllegalStateException(
          "The runtime's /metrics has no bucket " + prefix + "...; was the metric renamed?");
    }
    double total = buckets.get(buckets.size() - 1)[1];
    if (total == 0) {
      return "-";
    }
    double lower = 0;
    for (double[] b : buckets) {
      if (b[1] >= q * total) {
        return Double.isInfinite(b[0])
            ? String.format("> %.0f", lower * 1000)
            : String.format("%.0f-%.0f", lower * 1000, b[0] * 1000);
      }
      lower = b[0];
    }
    return "-";
  }
}
