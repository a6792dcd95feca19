package io.fctoolkit.runtime.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Forwards requests to instances over kept-alive HTTP/1.1 connections (one per request in flight,
 * kept per instance), on threads of its own that block for the answer.
 *
 * <p>Why not {@code java.net.http.HttpClient}: measured in a 2,000-request burst
 * (docs/performance.md, "Scale-out"), forwarding with it cost the runtime about 0.7 ms of CPU per
 * request, this client about 0.3 ms: each answer crossed four threads (selector, client executor,
 * {@code CompletableFuture}'s pool, the API's writer) and its reactive pipeline, where here one
 * thread writes the request, reads the answer, gives the slot back and goes on with the queued
 * request that takes the slot. An instance is the runtime's own fc-host on the loopback: plain
 * HTTP/1.1 with {@code Content-Length} or chunked answers is all it speaks.
 *
 * <p>Every request has a deadline: an alarm closes its connection when it passes, which ends a
 * blocked write or read at once ({@link HttpTimeoutException}). A kept connection is checked before
 * use (one read that does not wait) and not used once the host closed it, nor after {@link
 * #MAX_IDLE} (the host closes idle ones after 120 s): a request written to a connection the host is
 * closing would fail, and only idempotent functions are retried.
 */
public final class InstanceClient implements AutoCloseable {

  /** How long a kept connection may idle before it is closed rather than used. */
  static final Duration MAX_IDLE = Duration.ofSeconds(60);

  /** The largest answer body taken from an instance; a larger one fails the request (502). */
  public static final long MAX_ANSWER_BYTES = 64L << 20;

  private static final long MAX_IDLE_NANOS = MAX_IDLE.toNanos();

  private final int connectTimeoutMs;
  private final long maxAnswer;
  private final ThreadPoolExecutor threads;
  private final ScheduledThreadPoolExecutor alarms;

  /** A client with a 5 s connect timeout and {@link #MAX_ANSWER_BYTES}. */
  public InstanceClient() {
    this(Duration.ofSeconds(5), MAX_ANSWER_BYTES);
  }

  InstanceClient(Duration connectTimeout, long maxAnswer) {
    this.connectTimeoutMs = (int) connectTimeout.toMillis();
    this.maxAnswer = maxAnswer;
    // One thread per request in flight (bounded by the instances' slots), reused while busy.
    this.threads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "fc-forward");
              t.setDaemon(true);
              return t;
            });
    this.alarms =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "fc-forward-alarm");
              t.setDaemon(true);
              return t;
            });
    // Nearly every alarm is cancelled: remove them at once rather than keep them until due.
    alarms.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs a forwarding task on a thread of this client.
   *
   * @throws java.util.concurrent.RejectedExecutionException when the client is closed
   */
  void execute(Runnable task) {
    threads.execute(task);
  }

  /**
   * Sends {@code call} (which {@link Call#prepare} accepted) to {@code instance} and waits for the
   * whole answer, at most {@code timeout}. A kept connection the host had closed (the request could
   * not be written) is replaced once by a new one.
   *
   * @throws HttpTimeoutException when the deadline passed
   * @throws ConnectException when no connection could be made (the request never arrived)
   * @throws IOException when the connection failed after the request may have arrived
   */
  InstanceAnswer send(Instance instance, Call call, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] head = call.head(instance.port, instance.secret);
    boolean noAnswerBody = call.method.equalsIgnoreCase("HEAD");
    while (true) {
      InstanceConnection connection = idle(instance);
      boolean kept = connection != null;
      if (connection == null) {
        connection = connect(instance);
      }
      long left = deadline - System.nanoTime();
      ScheduledFuture<?> alarm =
          alarms.schedule(connection::expire, Math.max(0, left), TimeUnit.NANOSECONDS);
      InstanceConnection.Exchanged result;
      try {
        result = connection.exchange(head, call.body, noAnswerBody);
      } catch (IOException e) {
        alarm.cancel(false);
        connection.close();
        if (connection.expired()) {
          throw timeout(instance, timeout);
        }
        if (kept && e instanceof InstanceConnection.RequestNotSentException) {
          // The host closed the kept connection: nothing arrived, so a new connection may carry it.
          continue;
        }
        throw e;
      } catch (RuntimeException | Error e) {
        alarm.cancel(false);
        connection.close();
        throw e;
      }
      alarm.cancel(false);
      if (connection.settle() && result.reusable()) {
        instance.connections.give(connection);
      } else {
        connection.close();
      }
      return result.answer();
    }
  }

  private static HttpTimeoutException timeout(Instance instance, Duration timeout) {
    return new HttpTimeoutException(
        "instance " + instance.id + " did not answer within " + timeout.toMillis() + " ms");
  }

  /** The newest kept connection of {@code instance} idle less than {@link #MAX_IDLE}, or null. */
  private static InstanceConnection idle(Instance instance) {
    long now = System.nanoTime();
    InstanceConnection c;
    while ((c = instance.connections.take()) != null) {
      if (now - c.idleSinceNanos() < MAX_IDLE_NANOS && c.usable()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private InstanceConnection connect(Instance instance) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      // Requests are written whole: no Nagle delay for the small ones.
      channel.socket().setTcpNoDelay(true);
      channel
          .socket()
          .connect(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), instance.port),
              connectTimeoutMs);
      return new InstanceConnection(channel, maxAnswer);
    } catch (SocketTimeoutException e) {
      channel.close();
      ConnectException refused =
          new ConnectException(
              "no connection to instance " + instance.id + " within " + connectTimeoutMs + " ms");
      refused.initCause(e);
      throw refused;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Stops the forwarding threads (requests in flight fail) and the alarms. */
  @Override
  public void close() {
    threads.shutdownNow();
    alarms.shutdownNow();
  }

  /** {@code s} as the bytes of an HTTP head (ISO-8859-1, which {@link Call#prepare} checked). */
  static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
