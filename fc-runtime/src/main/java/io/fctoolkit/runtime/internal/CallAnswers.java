package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Completes a version's calls: turns an instance's HTTP answer into the invoke response, and counts
 * every answer (the function's or the pool's own) in the version's and the alias's stats.
 */
final class CallAnswers {

  private final Version version;
  private final ServingStats stats;

  CallAnswers(Version version, ServingStats stats) {
    this.version = version;
    this.stats = stats;
  }

  /** The invoke response for what an instance answered, with the version header set. */
  InvokeResponse fromInstance(InstanceAnswer answer, long startNanos) {
    Map<String, String> headers = new HashMap<>(answer.headers());
    headers.put(InvokeResponse.VERSION_HEADER, Integer.toString(version.number()));
    return new InvokeResponse(
        answer.status(),
        headers,
        answer.body(),
        version.number(),
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * Answers {@code call} and counts it: status and latency, and its waits for a start or a slot.
   */
  void finish(Call call, InvokeResponse response) {
    double ms = (System.nanoTime() - call.startNanos) / 1e6;
    stats.answered(response.status(), ms);
    if (call.waitedForStart) {
      stats.startWaits.increment();
      stats.startWaitLatency.record(ms);
    }
    if (call.queued) {
      stats.queueWaits.increment();
      stats.queueWaitLatency.record(ms);
    }
    if (call.aliasStats != null) {
      call.aliasStats.answered(response.status(), ms);
    }
    call.future.complete(response);
  }
}
