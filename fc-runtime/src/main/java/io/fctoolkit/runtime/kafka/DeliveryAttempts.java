package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.kafka.internal.Backoff;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Delivers records to the function: invokes it, classifies the answer (success, permanent failure,
 * or transient failure to retry after a backoff) and hands every finished delivery to the consumer
 * thread. Runs on whichever thread completes an invocation, and on the retry scheduler.
 */
final class DeliveryAttempts {

  private final TriggerSpec spec;
  private final InProcessInvoker invoker;
  private final TriggerEngineConfig config;
  private final TriggerStatusBoard board;
  private final ScheduledExecutorService scheduler;
  private final Consumer<Delivery> finished;
  private final Backoff backoff;

  DeliveryAttempts(
      TriggerSpec spec,
      InProcessInvoker invoker,
      TriggerEngineConfig config,
      TriggerStatusBoard board,
      ScheduledExecutorService scheduler,
      Consumer<Delivery> finished) {
    this.spec = requireNonNull(spec, "spec");
    this.invoker = requireNonNull(invoker, "invoker");
    this.config = requireNonNull(config, "config");
    this.board = requireNonNull(board, "board");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.finished = requireNonNull(finished, "finished");
    this.backoff = new Backoff(spec.retry().initialBackoff(), spec.retry().maxBackoff());
  }

  /** Starts the first attempt of a delivery. */
  void start(Delivery d) {
    d.attempt = 1;
    Optional<String> badHeader = invalidHeader(d.request.headers());
    if (badHeader.isPresent()) {
      // No attempt can forward this record over HTTP: fail it now, not after the delivery timeout.
      fail(d, "record " + badHeader.get(), 0, false);
      return;
    }
    attempt(d);
  }

  private void attempt(Delivery d) {
    if (d.queue.revoked || scheduler.isShutdown()) {
      return; // the partition moved on: its new owner delivers the record again
    }
    CompletableFuture<InvokeResponse> future;
    try {
      future = invoker.invoke(d.request).copy();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future
        .orTimeout(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((response, error) -> attempted(d, response, error));
  }

  private void attempted(Delivery d, InvokeResponse response, Throwable error) {
    if (error == null && response != null && response.isSuccess()) {
      d.success = true;
      d.response = response;
      d.status = response.status();
      d.version = response.version();
      config.listener().delivered(d.event(d.attempt), response);
      finished.accept(d);
      return;
    }
    boolean permanent = error == null && response != null && isPermanent(response.status());
    if (response != null) {
      d.version = response.version();
    }
    fail(d, reason(response, error), response == null ? 0 : response.status(), !permanent);
  }

  private void fail(Delivery d, String reason, int status, boolean transientError) {
    d.status = status;
    d.error = reason;
    boolean retry = transientError && d.attempt < spec.retry().attempts() && !d.queue.revoked;
    config.listener().failed(d.event(d.attempt), reason, retry);
    if (retry && !scheduler.isShutdown()) {
      board.partition(d.record.partition()).retried.increment();
      // Per version too: a rollout judges a canary by the retries its answers caused.
      if (d.version > 0) {
        board.version(d.version).retried.increment();
      }
      long delay = backoff.delayMillis(d.attempt);
      d.attempt++;
      try {
        scheduler.schedule(() -> attempt(d), delay, TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException e) {
        return; // closing: the record was not committed and is read again later
      }
    }
    d.success = false;
    board.lastError(
        "partition "
            + d.record.partition()
            + " offset "
            + d.record.offset()
            + " failed after "
            + d.attempt
            + " attempt(s): "
            + reason);
    finished.accept(d);
  }

  /** 4xx answers are permanent (retrying cannot help), except 408 and 429, which are timeouts. */
  static boolean isPermanent(int status) {
    if (status == 408 || status == 429) {
      return false;
    }
    return (status >= 400 && status < 500)
        || (status > 0 && status < 200)
        || (status >= 300 && status < 400);
  }

  /**
   * Names the first header that HTTP/1.1 cannot carry (RFC 9110 section 5: a name is a token; a
   * value holds visible characters, spaces and tabs, and characters of ISO-8859-1, the most the
   * runtime's HTTP client sends), or empty if all are valid.
   */
  static Optional<String> invalidHeader(Map<String, String> headers) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (name.isEmpty()) {
        return Optional.of("header with an empty name is not a valid HTTP header name");
      }
      for (int i = 0; i < name.length(); i++) {
        if (!isTokenChar(name.charAt(i))) {
          return Optional.of(
              "header '"
                  + printable(name)
                  + "' is not a valid HTTP header name ("
                  + charName(name.charAt(i))
                  + " at index "
                  + i
                  + ")");
        }
      }
      String value = h.getValue();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        boolean ok = c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff);
        if (!ok) {
          return Optional.of(
              "header '"
                  + name
                  + "' has a value that is not a valid HTTP header value ("
                  + charName(c)
                  + " at index "
                  + i
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  // RFC 9110 token characters, looked up per character of every header name of every record.
  private static final boolean[] TOKEN_CHARS = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN_CHARS[c] = true;
      TOKEN_CHARS[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN_CHARS[c] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN_CHARS[c] = true;
    }
  }

  private static boolean isTokenChar(char c) {
    return c < 128 && TOKEN_CHARS[c];
  }

  private static String charName(char c) {
    return c < 0x20 || c == 0x7f
        ? String.format("control character 0x%02x", (int) c)
        : String.format("character U+%04X", (int) c);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }

  private static String reason(InvokeResponse response, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (cause instanceof TimeoutException) {
        return "timeout: no answer in time";
      }
      return KafkaErrors.describe(cause);
    }
    String body = response.bodyText();
    if (body.length() > 500) {
      body = body.substring(0, 500) + "...";
    }
    return "HTTP " + response.status() + (body.isBlank() ? "" : ": " + body.strip());
  }
}
