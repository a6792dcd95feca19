package io.fctoolkit.runtime.internal;

import com.sun.net.httpserver.HttpExchange;
import io.fctoolkit.core.FcException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's live streams (server-sent events), without holding a control-API thread: the
 * handler sends the head and returns; events are written later on this class's own threads, one
 * write batch per stream at a time, each write under the {@link SlowClientGuard}'s I/O deadline
 * (the same one the API's answers have).
 *
 * <p>What bounds a stream: at most {@value #MAX_STREAMS} open at once (more are answered 503); at
 * most {@value #MAX_PENDING_BYTES} bytes waiting for a client that does not read (more closes it);
 * a write that waits longer than the I/O timeout closes it; and every stream is closed after {@link
 * #MAX_AGE}, which a browser's {@code EventSource} follows by reconnecting, so a tab forgotten
 * open, or a client that went away without a FIN, cannot keep a slot. A comment line every {@link
 * #HEARTBEAT} finds dead connections.
 */
public final class EventStream implements AutoCloseable {

  /** Streams open at once, all functions together. */
  public static final int MAX_STREAMS = 16;

  /** Bytes queued for one stream before it is closed as too slow. */
  public static final int MAX_PENDING_BYTES = 1 << 20;

  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final Duration MAX_AGE = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final SlowClientGuard guard;
  private final ThreadPoolExecutor writers;
  private final ScheduledExecutorService heartbeat;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();

  /** One open stream. */
  private final class Subscriber {
    final HttpExchange exchange;
    final String function;
    final long openedNanos = System.nanoTime();
    final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    final AtomicInteger pendingBytes = new AtomicInteger();
    final AtomicBoolean writing = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    Subscriber(HttpExchange exchange, String function) {
      this.exchange = exchange;
      this.function = function;
    }
  }

  public EventStream(SlowClientGuard guard) {
    this.guard = guard;
    this.writers =
        new ThreadPoolExecutor(
            MAX_STREAMS,
            MAX_STREAMS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "fc-dashboard-stream");
              t.setDaemon(true);
              return t;
            });
    writers.allowCoreThreadTimeOut(true);
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fc-dashboard-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = HEARTBEAT.toMillis();
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  /** Streams open now. */
  public int openCount() {
    return open.get();
  }

  /**
   * Answers {@code call} with a stream of {@code function}'s events: sends the head on the calling
   * (API) thread, under the guard, and returns; the exchange stays open.
   *
   * @throws FcException (503) when {@value #MAX_STREAMS} streams are open
   */
  void open(ApiCall call, String function) throws IOException {
    if (open.incrementAndGet() > MAX_STREAMS) {
      open.decrementAndGet();
      throw new FcException(
          "the dashboard already has " + MAX_STREAMS + " live streams open",
          "close other dashboard tabs; the page falls back to reloading every few seconds");
    }
    Subscriber s = new Subscriber(call.exchange(), function);
    try {
      call.responseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      call.responseHeaders().set("Cache-Control", "no-store");
      guard.io(
          () -> {
            call.exchange().sendResponseHeaders(200, 0);
            return null;
          });
    } catch (IOException | RuntimeException e) {
      open.decrementAndGet();
      call.close();
      throw e;
    }
    subscribers.add(s);
    // The browser reconnects this long after the stream ends (MAX_AGE, or the runtime restarts).
    send(s, ascii("retry: 3000\n: open\n\n"));
  }

  /** Sends one event to every stream of {@code function}. */
  void publish(String function, String event, byte[] json) {
    byte[] frame = null;
    for (Subscriber s : subscribers) {
      if (s.function.equals(function)) {
        if (frame == null) {
          frame = frame(event, json);
        }
        send(s, frame);
      }
    }
  }

  /** Whether any stream of {@code function} is open (so nothing is serialised for nobody). */
  boolean watched(String function) {
    for (Subscriber s : subscribers) {
      if (s.function.equals(function)) {
        return true;
      }
    }
    return false;
  }

  static byte[] frame(String event, byte[] json) {
    byte[] head = ascii("event: " + event + "\ndata: ");
    byte[] out = new byte[head.length + json.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(json, 0, out, head.length, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  private void send(Subscriber s, byte[] frame) {
    if (s.closed.get()) {
      return;
    }
    if (s.pendingBytes.addAndGet(frame.length) > MAX_PENDING_BYTES) {
      LOG.info("dashboard stream of {} closed: its client reads too slowly", s.function);
      close(s);
      return;
    }
    s.pending.add(frame);
    schedule(s);
  }

  private void schedule(Subscriber s) {
    if (s.writing.compareAndSet(false, true)) {
      try {
        writers.execute(guard.worker(() -> drain(s)));
      } catch (RejectedExecutionException e) {
        s.writing.set(false);
        close(s);
      }
    }
  }

  /** Writes what is queued; one task per stream at a time, so frames keep their order. */
  private void drain(Subscriber s) {
    try {
      OutputStream out = s.exchange.getResponseBody();
      while (!s.closed.get()) {
        byte[] f;
        while ((f = s.pending.poll()) != null) {
          s.pendingBytes.addAndGet(-f.length);
          byte[] bytes = f;
          // One flush per event: each goes out as its own chunk, at once.
          guard.io(
              () -> {
                out.write(bytes);
                out.flush();
                return null;
              });
        }
        s.writing.set(false);
        // A frame queued after the last poll but before the flag was cleared found it set.
        if (s.pending.isEmpty() || !s.writing.compareAndSet(false, true)) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // The client went away, or missed the write deadline and the guard closed its connection.
      s.writing.set(false);
      close(s);
    }
  }

  private void close(Subscriber s) {
    if (!s.closed.compareAndSet(false, true)) {
      return;
    }
    subscribers.remove(s);
    open.decrementAndGet();
    s.pending.clear();
    Runnable end =
        () -> {
          try {
            // Ending a chunked answer writes its last chunk: a wait on the client like any other.
            guard.io(
                () -> {
                  s.exchange.close();
                  return null;
                });
          } catch (IOException | RuntimeException e) {
            // already gone
          }
        };
    try {
      writers.execute(guard.worker(end));
    } catch (RejectedExecutionException e) {
      end.run();
    }
  }

  private void beat() {
    long now = System.nanoTime();
    byte[] comment = ascii(": keep-alive\n\n");
    for (Subscriber s : subscribers) {
      if (now - s.openedNanos > MAX_AGE.toNanos()) {
        close(s);
      } else {
        send(s, comment);
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Closes every stream and stops the threads. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    for (Subscriber s : subscribers) {
      close(s);
    }
    writers.shutdown();
    try {
      if (!writers.awaitTermination(2, TimeUnit.SECONDS)) {
        writers.shutdownNow();
      }
    } catch (InterruptedException e) {
      writers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
