package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standby headroom and bounded launches, without a JVM: the pool's starter hands out fake instances
 * (a {@code sleep} process and a port this test serves).
 */
class VersionPoolStandbyTest {

  @TempDir Path dir;

  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final List<ExecutorService> serverThreads = new CopyOnWriteArrayList<>();

  /** Whether each start was a standby start, in start order. */
  private final List<Boolean> starts = new CopyOnWriteArrayList<>();

  /** Requests the fake instances hold until the test releases them. */
  private final CountDownLatch release = new CountDownLatch(1);

  /** Launches may finish only when the test gives a permit (unbounded unless a test drains it). */
  private final Semaphore launchPermits = new Semaphore(1_000_000);

  private final AtomicInteger launching = new AtomicInteger();
  private volatile boolean holdRequests;
  private ExecutorService launcher;
  private ScheduledExecutorService timer;
  private InstanceClient client;

  @BeforeEach
  void setUp() {
    launcher = Executors.newCachedThreadPool();
    timer = Executors.newSingleThreadScheduledExecutor();
    client = new InstanceClient();
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    launchPermits.release(1_000);
    servers.forEach(s -> s.stop(0));
    serverThreads.forEach(ExecutorService::shutdownNow);
    processes.forEach(Process::destroyForcibly);
    launcher.shutdownNow();
    timer.shutdownNow();
    client.close();
  }

  @Test
  void routedVersion_startsItsStandbyAtOnce_andMarksItStandby() throws Exception {
    // Given a pool with standby 1 and no instance
    VersionPool pool = pool(1, 10, 1, 4);

    // When an alias routes to it
    pool.routed(true);

    // Then one instance starts ahead of demand, told it is a standby start
    waitFor(() -> pool.instanceCount() == 1);
    assertThat(starts).containsExactly(true);
  }

  @Test
  void risingLoad_takesTheReadyInstance_andTheNextOneStartsInTheBackground() throws Exception {
    // Given a routed pool (concurrency 2, standby 1) with its standby ready
    VersionPool pool = pool(2, 10, 1, 4);
    pool.routed(true);
    waitFor(() -> pool.instanceCount() == 1);
    holdRequests = true;

    // When two requests fill the standby instance's slots
    List<Call> calls = List.of(submit(pool), submit(pool));

    // Then neither waits in the queue, and a second instance starts as the new standby
    waitFor(() -> pool.inFlight() == 2);
    assertThat(pool.queued()).isZero();
    assertThat(pool.stats().startWaits.sum()).isZero();
    assertThat(pool.stats().queueWaits.sum()).isZero();
    waitFor(() -> pool.instanceCount() == 2);
    assertThat(starts).containsExactly(true, true);

    release.countDown();
    for (Call c : calls) {
      assertThat(c.future().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void idleStandby_staysWhileRouted_andRetiresOnceUnrouted() throws Exception {
    // Given a routed pool whose instances idle out at once
    VersionPool pool = pool(1, 10, 1, 4, Duration.ZERO);
    pool.routed(true);
    waitFor(() -> pool.instanceCount() == 1);

    // When the reaper runs while the version is routed
    Thread.sleep(20);
    pool.reap();

    // Then the standby stays
    assertThat(pool.instanceCount()).isEqualTo(1);

    // When the alias moves away and the retire delay passes
    pool.routed(false);
    Thread.sleep(settings(4).retireIdle().toMillis() + 50);
    pool.reap();

    // Then nothing is kept ahead of demand
    assertThat(pool.instanceCount()).isZero();
    assertThat(pool.startingCount()).isZero();
  }

  @Test
  void standbyZero_keepsNothingAhead() throws Exception {
    VersionPool pool = pool(1, 10, 0, 4);
    pool.routed(true);
    pool.reap();
    Thread.sleep(100);
    assertThat(pool.instanceCount() + pool.startingCount()).isZero();
    assertThat(starts).isEmpty();
  }

  @Test
  void burstFromZero_launchesAtMostTheBoundAtOnce_andServesEveryRequest() throws Exception {
    // Given an unrouted pool (no standby) of concurrency 1, max 6, 2 launches at once, whose
    // launches finish only when the test allows
    launchPermits.drainPermits();
    VersionPool pool = pool(1, 6, 0, 2);

    // When 20 requests arrive at once
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(submit(pool));
    }

    // Then only two launches run
    waitFor(() -> launching.get() == 2);
    Thread.sleep(100);
    assertThat(pool.startingCount()).isEqualTo(2);
    assertThat(launching.get()).isEqualTo(2);

    // When one launch ends, it serves queued requests and the next launch begins
    launchPermits.release(1);
    waitFor(() -> pool.instanceCount() == 1);
    waitFor(() -> launching.get() == 2);
    assertThat(pool.startingCount()).isEqualTo(2);

    // When every launch may end
    launchPermits.release(100);

    // Then every request is answered, by at most the maximum of instances
    for (Call c : calls) {
      assertThat(c.future().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(pool.instanceCount()).isLessThanOrEqualTo(6);
    assertThat(starts).hasSizeLessThanOrEqualTo(6).doesNotContain(true);
    // the requests a starting instance took first are counted as having waited for a start
    assertThat(pool.stats().startWaits.sum()).isBetween(1L, 20L);
    assertThat(pool.stats().queueWaits.sum()).isEqualTo(20);
  }

  @Test
  void failedStart_isNotRetriedByTheReaper_beforeTheBackoff() throws Exception {
    // Given a routed pool whose starts fail
    AtomicInteger attempts = new AtomicInteger();
    VersionPool pool =
        pool(
            1,
            10,
            1,
            4,
            Duration.ofMinutes(5),
            (id, standby) -> {
              attempts.incrementAndGet();
              throw new IOException("no JDK");
            });
    pool.routed(true);
    waitFor(() -> attempts.get() == 1 && pool.startingCount() == 0);

    // When the reaper runs again and again
    for (int i = 0; i < 5; i++) {
      pool.reap();
      Thread.sleep(10);
    }

    // Then the standby start is not retried at every reap
    assertThat(attempts.get()).isEqualTo(1);
  }

  // ---- helpers

  private VersionPool pool(int concurrency, int max, int standby, int parallel) throws IOException {
    return pool(concurrency, max, standby, parallel, Duration.ofMinutes(5));
  }

  private VersionPool pool(int concurrency, int max, int standby, int parallel, Duration idle)
      throws IOException {
    return pool(concurrency, max, standby, parallel, idle, this::fakeStart);
  }

  private VersionPool pool(
      int concurrency,
      int max,
      int standby,
      int parallel,
      Duration idle,
      VersionPool.Starter starter)
      throws IOException {
    FunctionConfig config =
        FunctionConfig.builder("fn", "x.Handler")
            .resources(new Resources(256, concurrency, Duration.ofSeconds(30)))
            .scaling(new Scaling(0, max, idle, standby))
            .build();
    Version v = new Version("fn", 1, "sha256:" + "0".repeat(64), config, "c", null, Instant.now());
    return new VersionPool(
        v,
        () -> {
          throw new IllegalStateException("the fake starter needs no spec");
        },
        starter,
        new LogSink(dir.resolve("v1.log")),
        new ServingStats(),
        client,
        launcher,
        timer,
        settings(parallel));
  }

  private static PoolSettings settings(int parallel) {
    return new PoolSettings(
        100, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(100), null, parallel);
  }

  private Instance fakeStart(String id, boolean standby) throws IOException {
    launching.incrementAndGet();
    try {
      launchPermits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      launching.decrementAndGet();
    }
    starts.add(standby);
    Process p = new ProcessBuilder("sleep", "120").start();
    processes.add(p);
    long now = System.nanoTime();
    return new Instance(id, p, answeringPort(), "secret", now, now);
  }

  /** A port that answers 200, after the test's release when it holds requests. */
  private int answeringPort() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService threads = Executors.newCachedThreadPool();
    serverThreads.add(threads);
    server.setExecutor(threads);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          if (holdRequests) {
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    servers.add(server);
    return server.getAddress().getPort();
  }

  private static Call submit(VersionPool pool) {
    Call call = new Call("POST", "/", Map.of(), new byte[0], null);
    pool.submit(call);
    return call;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
