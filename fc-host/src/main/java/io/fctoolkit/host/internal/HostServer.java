package io.fctoolkit.host.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the host: control endpoints, the concurrency limit, the request timeout and
 * graceful drain, around a {@link FunctionInvoker}.
 */
public final class HostServer implements Http1Server.Handler {
  private final HostConfig config;
  private final JsonLog log;
  private final Semaphore permits;
  private final CloudEventReply reply;
  private final InstanceSecret secret;
  private final Object inFlightLock = new Object();
  private int inFlight;
  private volatile FunctionInvoker invoker;
  private volatile ClassLoader functionLoader;
  private volatile boolean draining;
  private Http1Server server;
  private ScheduledThreadPoolExecutor timer;

  /**
   * Creates a server for {@code config} that logs to {@code log} and, when {@code secret} is not
   * null, serves only requests that carry it; {@link #start()} binds it.
   */
  HostServer(HostConfig config, JsonLog log, InstanceSecret secret) {
    this.config = config;
    this.log = log;
    this.secret = secret;
    this.permits = new Semaphore(config.concurrency());
    this.reply =
        config.replyCloudEvents()
            ? new CloudEventReply(config.functionName(), config.replyType())
            : null;
  }

  /** Binds and starts serving; function requests wait until {@link #functionLoaded} is called. */
  public int start() throws IOException {
    timer = new ScheduledThreadPoolExecutor(1, new Named("fc-timeout-", true));
    timer.setRemoveOnCancelPolicy(true);
    server =
        new Http1Server(
            this,
            log,
            new Http1Server.Limits(
                config.maxConnections(),
                (int) config.headerTimeoutMs(),
                (int) config.bodyTimeoutMs(),
                Http1Server.IDLE_TIMEOUT_MS,
                config.maxBodyBytes()));
    return server.start(config.bind(), config.port());
  }

  /** Makes the function available; from now on {@code /_fc/ready} answers 200. */
  void functionLoaded(FunctionInvoker loaded, ClassLoader loader) {
    functionLoader = loader;
    synchronized (this) {
      invoker = loaded;
      notifyAll();
    }
  }

  /** Whether the function is loaded and the host is not draining. */
  public boolean ready() {
    return invoker != null && !draining;
  }

  /** Requests running now (including ones whose function overran its timeout). */
  public int inFlight() {
    synchronized (inFlightLock) {
      return inFlight;
    }
  }

  /** Open client connections now. */
  public int openConnections() {
    return server.openConnections();
  }

  /**
   * Stops accepting, waits for in-flight requests up to the drain timeout, then stops the server.
   * Returns true when everything in flight finished.
   */
  public boolean drain() {
    draining = true;
    int atStart = inFlight();
    log.info("draining").field("inFlight", atStart).write();
    server.stopAccepting();
    long deadline = System.nanoTime() + config.drainTimeoutMs() * 1_000_000L;
    boolean finished;
    synchronized (inFlightLock) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          inFlightLock.wait(Math.max(1, left / 1_000_000L));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      finished = inFlight == 0;
    }
    log.info(finished ? "drained" : "drain timeout")
        .field("abandoned", inFlight())
        .field("drainTimeoutMs", config.drainTimeoutMs())
        .write();
    return finished;
  }

  /** Closes the listener and all connections at once (used after training and in tests). */
  public void stopNow() {
    draining = true;
    if (server != null) {
      server.closeAll();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Override
  public void handle(Http1Exchange exchange) {
    try {
      if (secret != null && !admitted(exchange)) {
        return;
      }
      String path = exchange.rawPath();
      if (path.startsWith("/_fc/")) {
        control(exchange, path);
      } else {
        function(exchange, false);
      }
    } catch (Throwable e) {
      log.error("request failed").error(e).write();
      exchange.closeAfterResponse();
    }
  }

  /**
   * With FC_AUTH=stdin: whether the request carries the instance secret (then the header is taken
   * out so the function never sees it); otherwise answers 403 and closes the connection.
   */
  private boolean admitted(Http1Exchange exchange) throws IOException {
    List<String> values = exchange.headers().get(InstanceSecret.HEADER);
    if (values != null && values.size() == 1 && secret.matches(values.get(0))) {
      exchange.removeHeader(InstanceSecret.HEADER);
      return true;
    }
    exchange.closeAfterResponse();
    sendJson(
        exchange,
        403,
        Errors.body(
            "Forbidden",
            "Missing or wrong "
                + InstanceSecret.HEADER
                + " header: this instance serves only its runtime (FC_AUTH=stdin)",
            null),
        null);
    logRequest(exchange, 403, "-", 0);
    return false;
  }

  private void control(Http1Exchange exchange, String path) throws IOException {
    if (path.equals("/_fc/live")) {
      sendJson(exchange, 200, "{\"status\":\"live\"}", null);
    } else if (path.equals("/_fc/train") && config.train()) {
      function(exchange, true);
    } else if (path.equals("/_fc/ready")) {
      if (ready()) {
        sendJson(exchange, 200, "{\"status\":\"ready\"}", null);
      } else {
        sendJson(
            exchange,
            503,
            draining ? "{\"status\":\"draining\"}" : "{\"status\":\"loading\"}",
            null);
      }
    } else {
      sendJson(exchange, 404, Errors.body("NotFound", "No such host endpoint " + path, null), null);
    }
  }

  private void function(Http1Exchange exchange, boolean rehearsal) throws IOException {
    String requestId = requestId(exchange);
    if (draining || !permits.tryAcquire()) {
      // Never queue: a busy instance says so at once and the caller (router, Knative
      // activator, trigger) retries elsewhere or later.
      if (draining) {
        exchange.closeAfterResponse();
      }
      int status = draining ? 503 : 429;
      String message =
          draining
              ? "The instance is shutting down"
              : "The instance is serving its limit of "
                  + config.concurrency()
                  + " concurrent requests (FC_CONCURRENCY)";
      sendJson(
          exchange,
          status,
          Errors.body(draining ? "Draining" : "TooManyRequests", message, requestId),
          requestId,
          "Retry-After",
          "1");
      logRequest(exchange, status, requestId, 0);
      return;
    }
    synchronized (inFlightLock) {
      inFlight++;
    }
    long started = System.nanoTime();
    Call call = new Call(exchange, requestId, Thread.currentThread());
    try {
      FunctionInvoker current = awaitFunction(started);
      if (current == null) {
        call.finish(503, Errors.body("NotReady", "The function is not loaded yet", requestId));
        return;
      }
      ScheduledFuture<?> timeout =
          timer.schedule(call, config.timeoutMs() - elapsedMs(started), TimeUnit.MILLISECONDS);
      // A small body is read before the function runs: a malformed or truncated one never
      // reaches user code (inside the timeout, so a client trickling its body is bounded too).
      RequestBody.BodyException unreadable = exchange.readAhead();
      if (unreadable != null) {
        timeout.cancel(false);
        call.failBody(unreadable);
        return;
      }
      int status;
      byte[] body = null;
      BufferedResponse response = new BufferedResponse();
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(functionLoader);
      String error = null;
      try {
        ExchangeRequest request = new ExchangeRequest(exchange);
        CloudEventReply.Origin origin = reply == null ? null : CloudEventReply.origin(request);
        if (rehearsal) {
          current.rehearse(request, response);
        } else {
          current.invoke(request, response);
        }
        status = response.status();
        body = response.bytes();
        if (reply != null) {
          reply.apply(origin, status, response.getHeaders(), body);
        }
      } catch (BadRequestException e) {
        status = e.status();
        error =
            Errors.body(
                status == 413 ? "PayloadTooLarge" : "BadRequest", Errors.describe(e), requestId);
      } catch (IllegalArgumentException e) {
        status = current.illegalArgumentIsBadRequest() ? 400 : 500;
        error = Errors.body(e.getClass().getName(), Errors.describe(e), requestId);
        logFunctionError(exchange, e, requestId, status);
      } catch (Throwable e) {
        status = 500;
        error = Errors.body(e.getClass().getName(), Errors.describe(e), requestId);
        logFunctionError(exchange, e, requestId, status);
      } finally {
        thread.setContextClassLoader(previous);
        timeout.cancel(false);
      }
      RequestBody.BodyException broken = exchange.bodyFailure();
      if (broken != null) {
        // The client's body broke its framing while the function streamed it: whatever the
        // function answered or threw, the request was malformed.
        call.failBody(broken);
      } else if (error != null) {
        call.finish(status, error);
      } else {
        call.finish(status, response, body);
      }
    } finally {
      call.settle();
      permits.release();
      synchronized (inFlightLock) {
        inFlight--;
        inFlightLock.notifyAll();
      }
      logRequest(exchange, call.sentStatus(), requestId, elapsedMs(started));
    }
  }

  private FunctionInvoker awaitFunction(long started) {
    FunctionInvoker current = invoker;
    if (current != null) {
      return current;
    }
    // A request that arrives while the function still loads waits for it (bounded by the
    // request timeout) instead of failing: the port is open before loading ends.
    synchronized (this) {
      while (invoker == null) {
        long left = config.timeoutMs() - elapsedMs(started);
        if (left <= 0) {
          return null;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return invoker;
    }
  }

  private void logFunctionError(Http1Exchange exchange, Throwable e, String requestId, int status) {
    if (exchange.bodyFailure() != null) {
      return; // the client's malformed body, not the function's fault: answered as a 4xx
    }
    log.error("function threw")
        .field("requestId", requestId)
        .field("status", status)
        .error(e)
        .write();
  }

  private void logRequest(Http1Exchange exchange, int status, String requestId, long millis) {
    if (config.logRequests()) {
      log.info("request")
          .field("requestId", requestId)
          .field("method", exchange.method())
          .field("path", exchange.rawPath())
          .field("status", status)
          .field("durationMs", millis)
          .write();
    }
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000L;
  }

  static String requestId(Http1Exchange exchange) {
    String id = exchange.header("x-request-id");
    if (id == null || id.isBlank()) {
      id = exchange.header("ce-id");
    }
    if (id == null || id.isBlank() || id.length() > 200) {
      // Not UUID.randomUUID(): SecureRandom seeding costs milliseconds on a cold JVM.
      id = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
    return id;
  }

  static void sendJson(Http1Exchange exchange, int status, String json, String requestId)
      throws IOException {
    sendJson(exchange, status, json, requestId, null, null);
  }

  static void sendJson(
      Http1Exchange exchange,
      int status,
      String json,
      String requestId,
      String extraHeader,
      String extraValue)
      throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", one("application/json"));
    if (requestId != null) {
      headers.put("x-request-id", one(requestId));
    }
    if (extraHeader != null) {
      headers.put(extraHeader, one(extraValue));
    }
    exchange.respond(status, headers, json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> one(String value) {
    List<String> list = new ArrayList<>(1);
    list.add(value);
    return list;
  }

  /**
   * One function invocation: whoever settles it first (the function returning or the timeout
   * firing) writes the response; the other side's outcome is discarded.
   */
  private final class Call implements Runnable {
    private static final int RUNNING = 0;
    private static final int ANSWERED = 1;
    private static final int TIMED_OUT = 2;

    private final Http1Exchange exchange;
    private final String requestId;
    private final Thread worker;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile int sentStatus;

    Call(Http1Exchange exchange, String requestId, Thread worker) {
      this.exchange = exchange;
      this.requestId = requestId;
      this.worker = worker;
    }

    /** Timeout fired. */
    @Override
    public void run() {
      synchronized (this) {
        if (!state.compareAndSet(RUNNING, TIMED_OUT)) {
          return;
        }
        sentStatus = 504;
        // Answer before interrupting, so that nothing the interrupted function does can answer
        // first; interrupt inside the lock so the interrupt cannot leak into the worker's next
        // request (settle() clears it under the same lock).
        try {
          exchange.closeAfterResponse();
          sendJson(
              exchange,
              504,
              Errors.body(
                  "Timeout",
                  "The function did not finish within "
                      + config.timeoutMs()
                      + " ms (FC_TIMEOUT_MS)",
                  requestId),
              requestId);
        } catch (IOException | RuntimeException e) {
          // the client is gone
        } finally {
          // The function may still be reading the request body: this connection is done.
          exchange.abort();
        }
        worker.interrupt();
      }
      log.warn("function timed out")
          .field("requestId", requestId)
          .field("timeoutMs", config.timeoutMs())
          .write();
    }

    void finish(int status, String errorJson) throws IOException {
      if (claim()) {
        sentStatus = status;
        sendJson(exchange, status, errorJson, requestId);
      }
    }

    /** Answers a body framing error (or, when the client is gone, just closes the connection). */
    void failBody(RequestBody.BodyException e) throws IOException {
      if (!claim()) {
        return;
      }
      sentStatus = e.status;
      exchange.closeAfterResponse();
      if (e.clientGone) {
        exchange.abort();
        return;
      }
      sendJson(
          exchange,
          e.status,
          Errors.body(Http1Exchange.errorType(e.status), e.getMessage(), requestId),
          requestId);
    }

    void finish(int status, BufferedResponse response, byte[] body) throws IOException {
      if (!claim()) {
        return;
      }
      sentStatus = status;
      Map<String, List<String>> headers = response.getHeaders();
      headers.put("x-request-id", one(requestId));
      exchange.respond(status, headers, body);
    }

    private boolean claim() {
      return state.compareAndSet(RUNNING, ANSWERED);
    }

    /** Called by the worker when the function is done: clears a timeout interrupt. */
    void settle() {
      synchronized (this) {
        if (state.get() == TIMED_OUT) {
          Thread.interrupted();
        }
        state.compareAndSet(RUNNING, ANSWERED);
      }
    }

    int sentStatus() {
      return sentStatus;
    }
  }

  /** Names the host's threads so that thread dumps are readable. */
  private static final class Named implements ThreadFactory {
    private final String prefix;
    private final boolean daemon;
    private final AtomicInteger count = new AtomicInteger();

    Named(String prefix, boolean daemon) {
      this.prefix = prefix;
      this.daemon = daemon;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(daemon);
      return thread;
    }
  }
}
