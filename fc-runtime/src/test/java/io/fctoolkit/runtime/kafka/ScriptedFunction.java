package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.runtime.InProcessInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A function for unit tests that answers at once by a script, or holds requests whose body the test
 * names until it releases them, and records what it saw: order, concurrency overall, per partition
 * and per key.
 */
final class ScriptedFunction implements InProcessInvoker {

  private final Function<InvokeRequest, InvokeResponse> script;
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  final Map<String, CompletableFuture<InvokeResponse>> held = new ConcurrentHashMap<>();
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final Map<String, AtomicInteger> runningBy = new ConcurrentHashMap<>();
  final AtomicInteger overlaps = new AtomicInteger();
  private volatile Function<InvokeRequest, String> group = r -> null;
  private volatile java.util.function.Predicate<String> hold = body -> false;
  private volatile long delayMillis;

  ScriptedFunction(Function<InvokeRequest, InvokeResponse> script) {
    this.script = script;
  }

  static ScriptedFunction echo() {
    return new ScriptedFunction(r -> ok(text(r)));
  }

  static InvokeResponse ok(String body) {
    return answer(200, body);
  }

  static InvokeResponse answer(int status, String body) {
    return new InvokeResponse(
        status,
        Map.of("content-type", "text/plain"),
        body.getBytes(StandardCharsets.UTF_8),
        1,
        Duration.ofMillis(1));
  }

  static String text(InvokeRequest r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Counts overlaps of requests in the same group (a key, a partition). */
  ScriptedFunction groupBy(Function<InvokeRequest, String> value) {
    group = value;
    return this;
  }

  /** Answers after a delay, on another thread, as a function doing I/O would. */
  ScriptedFunction delay(long millis) {
    delayMillis = millis;
    return this;
  }

  /** Holds requests whose body matches until {@link #release}. */
  ScriptedFunction hold(java.util.function.Predicate<String> bodies) {
    hold = bodies;
    return this;
  }

  void release(String body) {
    CompletableFuture<InvokeResponse> f = held.remove(body);
    if (f != null) {
      f.complete(ok(body));
    }
  }

  void releaseAll() {
    hold = body -> false;
    for (String body : List.copyOf(held.keySet())) {
      release(body);
    }
  }

  @Override
  public CompletableFuture<InvokeResponse> invoke(InvokeRequest request) {
    String body = text(request);
    bodies.add(body);
    attempts.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    String g = group.apply(request);
    if (g != null && runningBy.computeIfAbsent(g, k -> new AtomicInteger()).incrementAndGet() > 1) {
      overlaps.incrementAndGet();
    }
    CompletableFuture<InvokeResponse> answer;
    if (hold.test(body)) {
      answer = new CompletableFuture<>();
      held.put(body, answer);
    } else if (delayMillis > 0) {
      answer =
          CompletableFuture.supplyAsync(
              () -> script.apply(request),
              CompletableFuture.delayedExecutor(
                  delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS));
    } else {
      answer = CompletableFuture.completedFuture(script.apply(request));
    }
    // Callers see the answer after the bookkeeping below, as they would a function's.
    return answer.whenComplete(
        (r, e) -> {
          running.decrementAndGet();
          if (g != null) {
            runningBy.get(g).decrementAndGet();
          }
        });
  }

  int attemptsOf(String body) {
    AtomicInteger n = attempts.get(body);
    return n == null ? 0 : n.get();
  }
}
