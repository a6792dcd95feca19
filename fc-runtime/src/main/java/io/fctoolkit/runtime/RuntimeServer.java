package io.fctoolkit.runtime;

import com.sun.net.httpserver.HttpServer;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.runtime.internal.AtomicFiles;
import io.fctoolkit.runtime.internal.ControlApi;
import io.fctoolkit.runtime.internal.RuntimeCore;
import io.fctoolkit.runtime.internal.RuntimeJson;
import io.fctoolkit.runtime.internal.SlowClientGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running local runtime: the control API on HTTP plus the engine behind it. {@link #start}
 * returns once it listens (tests use port 0); {@link #close} stops it and its instances.
 *
 * <p>The state folder holds {@code state.json}, the bearer {@code token} (owner-only), images,
 * logs, class-data archives and {@code runtime.json} (the URL of the running server). Only one
 * runtime may use a state folder at a time.
 */
public final class RuntimeServer implements AutoCloseable {

  /**
   * Stack of an API thread (a hint to the JVM): handlers are shallow, and with one thread per
   * request in progress the default 1 MiB per thread would reserve 2 GiB at the bound.
   */
  private static final long API_THREAD_STACK = 512 << 10;

  /** The JDK server's bound on idle keep-alive connections; read once, by the first server. */
  static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

  private final RuntimeCore core;
  private final HttpServer http;
  private final ExecutorService executor;
  private final SlowClientGuard guard;
  private final ControlApi api;
  private final String token;
  private final URI uri;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path stateDir;

  private RuntimeServer(
      RuntimeCore core,
      HttpServer http,
      ExecutorService executor,
      SlowClientGuard guard,
      ControlApi api,
      String token,
      URI uri,
      FileChannel lockChannel,
      FileLock lock,
      Path stateDir) {
    this.core = core;
    this.http = http;
    this.executor = executor;
    this.guard = guard;
    this.api = api;
    this.token = token;
    this.uri = uri;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.stateDir = stateDir;
  }

  /** Starts a runtime with events discarded. */
  public static RuntimeServer start(RuntimeOptions options) throws IOException {
    return start(options, e -> {});
  }

  /** Starts a runtime with the default {@link ControlApiLimits}. */
  public static RuntimeServer start(RuntimeOptions options, Consumer<FcEvent> events)
      throws IOException {
    return start(options, ControlApiLimits.defaults(), events);
  }

  /**
   * Starts a runtime: takes the state folder's lock, creates the token at first start, loads the
   * state, starts the trigger host ({@link RuntimeOptions#triggers()}, else the first {@link
   * TriggerHost.Factory} found by {@link ServiceLoader}, else none) and listens.
   *
   * @throws FcException when another runtime uses the state folder or the port is taken
   */
  public static RuntimeServer start(
      RuntimeOptions options, ControlApiLimits limits, Consumer<FcEvent> events)
      throws IOException {
    Path stateDir = Files.createDirectories(options.stateDir().toAbsolutePath());
    Path run = Files.createDirectories(stateDir.resolve("run"));
    FileChannel channel =
        FileChannel.open(run.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new FcException(
          "another runtime is using the state folder " + stateDir,
          "stop it, or start this one with another --state-dir");
    }
    RuntimeCore core = null;
    HttpServer http = null;
    ExecutorService api = null;
    SlowClientGuard slow = null;
    ControlApi handler = null;
    try {
      String token = token(stateDir);
      RuntimeOptions effective =
          options.triggers() != null ? options : options.withTriggers(discoverTriggers());
      core = new RuntimeCore(effective, events);
      // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
      // and the client's delayed ACK add ~40 ms to most answers. Read once, when the first server
      // of this JVM is created.
      if (System.getProperty("sun.net.httpserver.nodelay") == null) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
      }
      // The JDK server closes a keep-alive connection right after its answer when 200 are idle
      // already, without saying so (no Connection: close); a client that sent its next request on
      // it meanwhile gets no answer at all. A burst's clients then fail (seen: 1 to 5 of 2,000
      // requests). Idle connections hold no thread, and still close after 30 s idle.
      if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
        System.setProperty(MAX_IDLE_CONNECTIONS, Integer.toString(limits.maxConnections()));
      }
      try {
        http = HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 4096);
      } catch (java.net.BindException e) {
        throw new FcException(
            "port " + options.port() + " on " + options.bind() + " is in use",
            "stop what listens there, or start the runtime with --port <other>",
            e);
      }
      // One thread per request in progress, up to the bound: the JDK server reads each request
      // head on an executor thread, so a fixed pool lets a few slow heads take every thread (issue
      // 13: 70 half heads froze the API). The guard's deadlines free a thread held by a slow
      // client; past the bound the server closes the new connection without an answer.
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              0,
              limits.maxConnections(),
              30,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              r -> {
                Thread t = new Thread(null, r, "fc-api", API_THREAD_STACK);
                t.setDaemon(true);
                return t;
              });
      api = executor;
      SlowClientGuard guard = new SlowClientGuard(limits.headerTimeout(), limits.ioTimeout());
      slow = guard;
      http.setExecutor(task -> executor.execute(guard.exchange(task)));
      handler = new ControlApi(core, token, guard, executor);
      http.createContext("/", handler);
      http.start();
      URI uri =
          URI.create("http://" + hostForUri(options.bind()) + ":" + http.getAddress().getPort());
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("url", uri.toString());
      info.put("pid", ProcessHandle.current().pid());
      AtomicFiles.write(
          run.resolve("runtime.json"), RuntimeJson.MAPPER.writeValueAsBytes(info), false);
      events.accept(
          FcEvent.lifecycle("fc-runtime listening on " + uri + " (state " + stateDir + ")"));
      return new RuntimeServer(
          core, http, executor, guard, handler, token, uri, channel, lock, stateDir);
    } catch (IOException | RuntimeException e) {
      if (http != null) {
        http.stop(0);
      }
      if (api != null) {
        api.shutdownNow();
      }
      if (handler != null) {
        handler.close();
      }
      if (slow != null) {
        slow.close();
      }
      if (core != null) {
        core.close();
      }
      lock.release();
      channel.close();
      throw e;
    }
  }

  private static TriggerHost.Factory discoverTriggers() {
    Iterator<TriggerHost.Factory> found = ServiceLoader.load(TriggerHost.Factory.class).iterator();
    return found.hasNext() ? found.next() : (invoker, dir, events) -> TriggerHost.none();
  }

  private static String hostForUri(String bind) {
    return bind.equals("0.0.0.0") ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
  }

  /** Reads the bearer token, creating it (owner-only) at first start. */
  static String token(Path stateDir) throws IOException {
    Path file = stateDir.resolve("token");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    AtomicFiles.write(file, token.getBytes(StandardCharsets.UTF_8), true);
    return token;
  }

  /** The control API's base URL, e.g. {@code http://127.0.0.1:8765}. */
  public URI uri() {
    return uri;
  }

  public int port() {
    return uri.getPort();
  }

  /** The bearer token every control call needs. */
  public String token() {
    return token;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** The in-process entry to the alias router (no HTTP hop), for triggers and tests. */
  public InProcessInvoker invoker() {
    return core;
  }

  /**
   * The runtime's journal of changes, which the dashboard marks on its time axis; parts of the
   * runtime (and tests) record into it with {@link EventJournal#record}.
   */
  public EventJournal journal() {
    return core.journal();
  }

  /** A client of this runtime over its control API. */
  public LocalPlatform client() {
    return new LocalPlatform(uri, token);
  }

  /**
   * Stops listening, stops triggers and instances (drain, then kill), releases the state folder.
   */
  @Override
  public void close() {
    http.stop(0);
    api.close();
    executor.shutdownNow();
    guard.close();
    core.close();
    try {
      Files.deleteIfExists(stateDir.resolve("run/runtime.json"));
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the lock is released with the process anyway
    }
  }
}
