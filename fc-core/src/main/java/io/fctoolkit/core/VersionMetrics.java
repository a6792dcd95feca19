package io.fctoolkit.core;

/**
 * Serving figures of one version since the platform started.
 *
 * @param version the version number
 * @param invocations requests answered
 * @param errors requests answered with 5xx, timed out or failed by a crash
 * @param p50Ms median latency in milliseconds
 * @param p95Ms 95th percentile latency in milliseconds
 * @param p99Ms 99th percentile latency in milliseconds
 * @param coldStarts instances started
 * @param coldStartP50Ms median time from instance launch to ready
 * @param instances instances running now
 * @param inFlight requests being served now
 * @param queued requests waiting for a free slot now
 */
public record VersionMetrics(
    int version,
    long invocations,
    long errors,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    long coldStarts,
    double coldStartP50Ms,
    int instances,
    int inFlight,
    int queued) {}
