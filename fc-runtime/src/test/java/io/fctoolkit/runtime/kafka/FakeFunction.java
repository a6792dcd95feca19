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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test function behind the {@link InProcessInvoker} seam: answers after a delay without holding a
 * thread (like I/O wait), and records what it saw: every request, concurrency overall and per key.
 */
final class FakeFunction implements InProcessInvoker, AutoCloseable {

  /** What the function answers for one request. */
  record Answer(int status, String body, long delayMillis) {}

  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  private final Function<InvokeRequest, Answer> behaviour;
  private final int version;
  final List<InvokeRequest> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();
  final AtomicInteger keyOverlaps = new AtomicInteger();
  final Map<String, List<String>> bodiesByKey = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> attemptsByBody = new ConcurrentHashMap<>();

  FakeFunction(int version, Function<InvokeRequest, Answer> behaviour) {
    this.version = version;
    this.behaviour = behaviour;
  }

  /** Echoes the body with 200 after {@code delayMillis}. */
  static FakeFunction echo(long delayMillis) {
    return new FakeFunction(1, r -> new Answer(200, text(r), delayMillis));
  }

  static String text(InvokeRequest r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Override
  public CompletableFuture<InvokeResponse> invoke(InvokeRequest request) {
    requests.add(request);
    String body = text(request);
    attemptsByBody.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    String key = request.routingKey();
    if (key != null) {
      if (runningByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
        keyOverlaps.incrementAndGet();
      }
      bodiesByKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(body);
    }
    Answer answer = behaviour.apply(request);
    CompletableFuture<InvokeResponse> future = new CompletableFuture<>();
    Runnable finish =
        () -> {
          if (key != null) {
            runningByKey.get(key).decrementAndGet();
          }
          running.decrementAndGet();
          future.complete(
              new InvokeResponse(
                  answer.status(),
                  Map.of("content-type", "text/plain"),
                  answer.body().getBytes(StandardCharsets.UTF_8),
                  version,
                  Duration.ofMillis(answer.delayMillis())));
        };
    if (answer.delayMillis() <= 0) {
      finish.run();
    } else {
      timer.schedule(finish, answer.delayMillis(), TimeUnit.MILLISECONDS);
    }
    return future;
  }

  int invocations() {
    return requests.size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
