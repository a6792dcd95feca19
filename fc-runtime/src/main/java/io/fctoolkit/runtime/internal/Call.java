package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.InvokeResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on its way to an instance: what to send, where to answer, and its bookkeeping.
 * Mutable fields are guarded by the pool that holds the call.
 */
public final class Call {
  final String method;
  final String pathAndQuery;
  final Map<String, List<String>> headers;
  final byte[] body;
  final CompletableFuture<InvokeResponse> future = new CompletableFuture<>();
  final long startNanos = System.nanoTime();
  final ServingStats aliasStats;
  int attempts;
  ScheduledFuture<?> queueTimeout;

  public Call(
      String method,
      String pathAndQuery,
      Map<String, List<String>> headers,
      byte[] body,
      ServingStats aliasStats) {
    this.method = method;
    this.pathAndQuery = pathAndQuery.isEmpty() ? "/" : pathAndQuery;
    this.headers = headers;
    this.body = body;
    this.aliasStats = aliasStats;
  }

  public CompletableFuture<InvokeResponse> future() {
    return future;
  }
}
