package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's bookkeeping without starting a JVM: an instance here is a {@code sleep} process (so
 * that "is the process alive" has a real answer) whose port is served by this test.
 */
class VersionPoolTest {

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> servers = new ArrayList<>();
  private ExecutorService launcher;
  private ScheduledExecutorService timer;
  private InstanceClient client;
  private final AtomicInteger launches = new AtomicInteger();

  @BeforeEach
  void setUp() {
    launcher = Executors.newCachedThreadPool();
    timer = Executors.newSingleThreadScheduledExecutor();
    client = new InstanceClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
    processes.forEach(Process::destroyForcibly);
    launcher.shutdownNow();
    timer.shutdownNow();
    client.close();
  }

  @Test
  void invalidHeaderValue_isAnswered400AtOnce_andHoldsNoSlot() throws Exception {
    // Given a pool of one instance with one slot
    VersionPool pool = pool(config(false), 1);
    Map<String, String> seen = new HashMap<>();
    pool.adopt(instance("s3cret", answering(200, seen)));

    // When a request carries a header value with a control character
    InvokeResponse bad = submit(pool, Map.of("x-bad", List.of("a\u0001b")));

    // Then it is refused with 400 naming the header, and the slot is free for the next request
    assertThat(bad.status()).isEqualTo(400);
    assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("x-bad");
    assertThat(pool.inFlight()).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(submit(pool, Map.of("x-good", List.of("yes"))).status()).isEqualTo(200);
    }
    assertThat(pool.inFlight()).isZero();
  }

  @Test
  void invalidHeaderName_onAColdStart_isAnswered400_andStartsNothing() throws Exception {
    // Given a pool with no instance: the request would need a cold start
    VersionPool pool = pool(config(false), 1);

    // When
    InvokeResponse bad = submit(pool, Map.of("bad name", List.of("v")));

    // Then
    assertThat(bad.status()).isEqualTo(400);
    assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("bad name");
    assertThat(pool.queued()).isZero();
    assertThat(pool.startingCount()).isZero();
    assertThat(launches).hasValue(0);
  }

  @Test
  void everyRequest_carriesTheInstanceSecret_andAClientCannotSetIt() throws Exception {
    VersionPool pool = pool(config(false), 4);
    Map<String, String> seen = new HashMap<>();
    pool.adopt(instance("the-secret", answering(200, seen)));

    InvokeResponse ok =
        submit(pool, Map.of(Instance.SECRET_HEADER, List.of("forged"), "x-other", List.of("1")));

    assertThat(ok.status()).isEqualTo(200);
    assertThat(seen).containsEntry(Instance.SECRET_HEADER, "the-secret");
    assertThat(seen).containsEntry("x-other", "1");
  }

  @Test
  void busyPool_answersEveryQueuedCall_andGivesEverySlotBack() throws Exception {
    // Given one instance with 2 slots and 12 calls at once: 10 wait in the queue (its capacity),
    // and each answer's thread goes on with the call that takes its slot
    VersionPool pool = pool(config(false), 2);
    pool.adopt(instance("s", answering(200, new HashMap<>())));
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Call call = new Call("POST", "/", Map.of(), new byte[0], null);
      calls.add(call);
      pool.submit(call);
    }

    // Then
    for (Call call : calls) {
      assertThat(call.future().get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(pool.inFlight()).isZero();
    assertThat(pool.queued()).isZero();
    assertThat(pool.stats().queueWaits.sum()).isGreaterThan(0);
  }

  @Test
  void connectionClosedByALiveInstance_failsTheAttempt_butKeepsTheInstance() throws Exception {
    // Given an instance whose process is alive but closes connections without answering (a busy
    // host at its connection limit, or a keep-alive connection it closed)
    VersionPool pool = pool(config(false), 2);
    Instance busy = instance("s", closingConnections(Integer.MAX_VALUE, false));
    pool.adopt(busy);

    // When
    InvokeResponse answer = submit(pool, Map.of());

    // Then the request fails, but the instance is neither killed nor counted as crashed
    assertThat(answer.status()).isEqualTo(502);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .contains("InstanceConnectionFailed");
    assertThat(busy.process.isAlive()).isTrue();
    assertThat(pool.instanceCount()).isEqualTo(1);
    assertThat(pool.stats().crashes.sum()).isZero();
    assertThat(pool.inFlight()).isZero();
  }

  @Test
  void connectionClosedByALiveInstance_isRetried_whenIdempotent() throws Exception {
    VersionPool pool = pool(config(true), 2);
    Instance flaky = instance("s", closingConnections(1, true));
    pool.adopt(flaky);

    InvokeResponse answer = submit(pool, Map.of());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(flaky.process.isAlive()).isTrue();
    assertThat(pool.stats().crashes.sum()).isZero();
  }

  @Test
  void connectionFailure_ofADeadProcess_isACrash() throws Exception {
    // Given an instance whose process dies while it serves the request (killed before that, its
    // exit watcher may take it out of the pool first, and the request would find no instance)
    VersionPool pool = pool(config(false), 2);
    AtomicReference<Process> process = new AtomicReference<>();
    Instance dead = instance("s", dyingOnRequest(process));
    process.set(dead.process);
    pool.adopt(dead);

    InvokeResponse answer = submit(pool, Map.of());

    assertThat(dead.process.isAlive()).isFalse();

    assertThat(answer.status()).isEqualTo(502);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("InstanceCrashed");
    assertThat(pool.instanceCount()).isZero();
    assertThat(pool.stats().crashes.sum()).isEqualTo(1);
  }

  // ---- helpers

  private static FunctionConfig config(boolean idempotent) {
    return FunctionConfig.builder("fn", "x.Handler").idempotent(idempotent).build();
  }

  private VersionPool pool(FunctionConfig config, int concurrency) throws IOException {
    FunctionConfig c =
        config.toBuilder()
            .resources(
                new io.fctoolkit.core.Resources(256, concurrency, config.resources().timeout()))
            .build();
    Version v = new Version("fn", 1, "sha256:" + "0".repeat(64), c, "c", null, Instant.now());
    PoolSettings settings =
        new PoolSettings(
            10, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(500), null);
    return new VersionPool(
        v,
        () -> {
          launches.incrementAndGet();
          throw new IllegalStateException("this test starts no instance");
        },
        new LogSink(dir.resolve("v1.log")),
        new ServingStats(),
        client,
        launcher,
        timer,
        settings);
  }

  private Instance instance(String secret, int port) throws IOException {
    Process p = new ProcessBuilder("sleep", "120").start();
    processes.add(p);
    long now = System.nanoTime();
    return new Instance("fn-v1-" + processes.size(), p, port, secret, now, now);
  }

  private static InvokeResponse submit(VersionPool pool, Map<String, List<String>> headers)
      throws Exception {
    Call call = new Call("POST", "/", headers, new byte[0], null);
    pool.submit(call);
    return call.future().get(20, TimeUnit.SECONDS);
  }

  /** A port that answers {@code status}, recording the request's headers in {@code seen}. */
  private int answering(int status, Map<String, String> seen) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          synchronized (seen) {
            ex.getRequestHeaders()
                .forEach((k, v) -> seen.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
          }
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
    servers.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  /**
   * A port that closes the first {@code count} connections after reading the request head, and
   * answers 200 to later ones when {@code thenAnswer}.
   */
  /** A port whose first request kills the instance's process, then closes without answering. */
  private int dyingOnRequest(AtomicReference<Process> process) throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(socket);
    Thread t =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                  readHead(s.getInputStream());
                  process.get().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                } catch (IOException e) {
                  // closed by the test
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            },
            "dying-port");
    t.setDaemon(true);
    t.start();
    return socket.getLocalPort();
  }

  private int closingConnections(int count, boolean thenAnswer) throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(socket);
    Thread t =
        new Thread(
            () -> {
              int n = 0;
              while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                  if (n++ < count || !thenAnswer) {
                    readHead(s.getInputStream());
                    continue; // closed without a byte: "header parser received no bytes"
                  }
                  readHead(s.getInputStream());
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  // closed by the test
                }
              }
            },
            "closing-port");
    t.setDaemon(true);
    t.start();
    return socket.getLocalPort();
  }

  private static byte[] readHead(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int state = 0;
    int b;
    while (state < 4 && (b = in.read()) >= 0) {
      out.write(b);
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
    }
    return out.toByteArray();
  }
}
