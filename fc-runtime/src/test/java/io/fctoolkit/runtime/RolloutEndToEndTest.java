package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.State;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.SmokeRequest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts on a real local runtime with real instances under steady load: a good release goes
 * through every step, a failing or slow one is rolled back by the runtime itself, and no request
 * fails because of a move: every failure a client sees is the bad release's own answer.
 */
class RolloutEndToEndTest {

  static final String FLAKY = "io.fctoolkit.runtime.testfn.Flaky";

  @TempDir Path dir;

  /** Clients sending requests in a loop until stopped (at most 3 minutes). */
  static final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final List<Thread> clients = new ArrayList<>();

    /** A failed request: status, the version that answered, when it ended (nanoTime). */
    record Failure(int status, String version, String body, long endedAt) {}

    Load(RuntimeServer server, String path, int threads) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.uri() + path))
              .header("Authorization", "Bearer " + server.token())
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      for (int t = 0; t < threads; t++) {
        Thread client =
            new Thread(
                () -> {
                  while (running.get() && System.nanoTime() < deadline) {
                    sent.incrementAndGet();
                    try {
                      HttpResponse<String> r =
                          http.send(request, HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                      } else {
                        failures.add(
                            new Failure(
                                r.statusCode(),
                                r.headers().firstValue("fc-version").orElse("?"),
                                r.body(),
                                System.nanoTime()));
                      }
                    } catch (Exception e) {
                      failures.add(new Failure(0, "?", e.toString(), System.nanoTime()));
                    }
                  }
                });
        client.start();
        clients.add(client);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread c : clients) {
        c.join(60_000);
      }
    }
  }

  static RolloutStrategy strategy(long minSamples, RolloutGates gates) {
    return new RolloutStrategy(
        List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
        minSamples,
        Duration.ofSeconds(1),
        Duration.ofSeconds(90),
        RolloutStrategy.Inconclusive.ROLLBACK,
        gates);
  }

  private static Alias setUp(
      LocalPlatform platform, String function, String handler, Map<String, String> env)
      throws Exception {
    platform.publish(
        Fixtures.publish(
            Fixtures.config(
                function, Fixtures.HELLO, 4, 3, Duration.ofMinutes(5), Map.of("GREETING", "one"))));
    platform.publish(
        Fixtures.publish(Fixtures.config(function, handler, 4, 3, Duration.ofMinutes(5), env)));
    return platform.putAlias(new AliasUpdate(function, "live", AliasTarget.of(1), 0L));
  }

  /** Waits for the rollout to finish; at most 150 s. */
  private static RolloutStatus awaitEnd(LocalPlatform platform, String function)
      throws InterruptedException {
    Fixtures.await(
        Duration.ofSeconds(150),
        () -> platform.rollout(function, "live").orElseThrow().state().finished());
    return platform.rollout(function, "live").orElseThrow();
  }

  private static void report(String what, Load load, RolloutStatus s, long startNanos) {
    Decision last = s.history().get(s.history().size() - 1);
    System.err.printf(
        "rollout %s: state=%s requests=%d ok=%d failed=%d decisions=%s last samples=%d"
            + " seconds to decision=%.1f reason=%s%n",
        what,
        s.state(),
        load.sent.get(),
        load.ok.get(),
        load.failures.size(),
        s.history().stream()
            .map(d -> d.action() + "@" + d.weight().toPlainString() + "%/" + d.samples())
            .toList(),
        last.samples(),
        Duration.between(s.startedAt(), last.at()).toMillis() / 1000.0,
        s.reason());
  }

  @Test
  void goodRelease_isPromotedThroughEveryStep_underLoad_withNoFailedRequest() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      Alias alias = setUp(platform, "good", Fixtures.HELLO, Map.of("GREETING", "two"));
      RolloutStatus end;
      long start;
      try (Load load = new Load(server, "/invoke/good/live?sleep=5", 4)) {
        Thread.sleep(1500);
        start = System.nanoTime();
        // When
        RolloutStatus started =
            platform.startRollout(
                new RolloutRequest(
                    "good",
                    "live",
                    2,
                    "r2",
                    strategy(
                        50,
                        new RolloutGates(
                            BigDecimal.ONE, Duration.ofSeconds(5), null, BigDecimal.ONE, null)),
                    alias.revision()));
        assertThat(started.state()).isEqualTo(State.PROGRESSING);
        end = awaitEnd(platform, "good");
        Thread.sleep(500);
        load.close();
        report("good", load, end, start);
        // Then
        assertThat(load.failures).isEmpty();
        assertThat(load.ok.get()).isGreaterThan(200);
      }
      assertThat(end.state()).isEqualTo(State.PROMOTED);
      assertThat(end.history().stream().map(Decision::action))
          .containsExactly("start", "advance", "promote");
      assertThat(end.history().subList(1, 3))
          .allSatisfy(d -> assertThat(d.samples()).isGreaterThanOrEqualTo(50));
      assertThat(platform.describe("good").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(AliasTarget.of(2));
      // the control API shows the rollout as JSON, gates and history included
      var json = Fixtures.http(server, "GET", "/v1/functions/good/aliases/live/rollout", null);
      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(json.body())
          .contains("\"state\":\"PROMOTED\"")
          .contains("\"gates\":[")
          .contains("\"errorRate\"")
          .contains("\"action\":\"advance\"")
          // weights as plain numbers, never 1E+1 (JSON trees strip trailing zeros)
          .contains("\"steps\":[10,50]")
          .contains("\"weight\":100");
    }
  }

  @Test
  void releaseFailingThirtyPercent_isRolledBackAutomatically_andTheMovesFailNothing()
      throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      Alias alias = setUp(platform, "bad", FLAKY, Map.of("GREETING", "two", "FAIL_PERCENT", "30"));
      RolloutStatus end;
      try (Load load = new Load(server, "/invoke/bad/live?sleep=5", 4)) {
        Thread.sleep(1500);
        long start = System.nanoTime();
        platform.startRollout(
            new RolloutRequest(
                "bad", "live", 2, null, strategy(100, RolloutGates.DEFAULT), alias.revision()));
        end = awaitEnd(platform, "bad");
        long decided = System.nanoTime();
        Thread.sleep(2000);
        load.close();
        report("bad (30% errors)", load, end, start);
        // Then: every failure is the bad release's own 500, none a 502/503/429 of a move
        assertThat(load.failures)
            .allSatisfy(
                f -> {
                  assertThat(f.status()).isEqualTo(500);
                  assertThat(f.version()).isEqualTo("2");
                  assertThat(f.body()).contains("failed on purpose");
                });
        // and nothing fails once the alias is back: at most requests already on v2 finish
        assertThat(load.failures)
            .noneMatch(f -> f.endedAt() > decided + Duration.ofSeconds(1).toNanos());
        assertThat(load.ok.get()).isGreaterThan(200);
      }
      assertThat(end.state()).isEqualTo(State.ROLLED_BACK);
      assertThat(end.reason()).contains("errorRate");
      assertThat(end.weight()).isEqualByComparingTo("0");
      assertThat(platform.describe("bad").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(AliasTarget.of(1));
    }
  }

  @Test
  void slowRelease_isRolledBackOnItsP99() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      Alias alias = setUp(platform, "slow", FLAKY, Map.of("GREETING", "two", "DELAY_MS", "150"));
      RolloutStatus end;
      try (Load load = new Load(server, "/invoke/slow/live?sleep=5", 4)) {
        Thread.sleep(1500);
        long start = System.nanoTime();
        platform.startRollout(
            new RolloutRequest(
                "slow",
                "live",
                2,
                null,
                strategy(
                    40,
                    new RolloutGates(
                        BigDecimal.ONE, Duration.ofMillis(100), null, BigDecimal.ONE, null)),
                alias.revision()));
        end = awaitEnd(platform, "slow");
        load.close();
        report("slow (+150 ms)", load, end, start);
        assertThat(load.failures).isEmpty();
      }
      assertThat(end.state()).isEqualTo(State.ROLLED_BACK);
      assertThat(end.reason()).contains("p99");
      // judged as slow samples: rolled back once more than 1% of the 2,000 samples a p99 needs
      // (the 21st) were slower than the limit, not on a p99 of a few dozen requests
      assertThat(end.reason()).contains("slower than 100 ms");
      assertThat(end.history().get(end.history().size() - 1).samples()).isGreaterThan(20);
    }
  }

  @Test
  void restartedRuntime_resumesTheRolloutFromItsStateFolder_andAbortMovesBack() throws Exception {
    Path state = dir.resolve("state");
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(state))) {
      LocalPlatform platform = server.client();
      Alias alias = setUp(platform, "again", Fixtures.HELLO, Map.of("GREETING", "two"));
      // a step that cannot pass without traffic, so the rollout is still at step 1 when stopped
      platform.startRollout(
          new RolloutRequest(
              "again",
              "live",
              2,
              "r2",
              new RolloutStrategy(
                  List.of(new BigDecimal("12.5")),
                  1_000_000,
                  Duration.ofSeconds(1),
                  Duration.ofHours(1),
                  RolloutStrategy.Inconclusive.ROLLBACK,
                  RolloutGates.DEFAULT),
              alias.revision()));
    }
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(state))) {
      LocalPlatform platform = server.client();
      RolloutStatus resumed = platform.rollout("again", "live").orElseThrow();
      assertThat(resumed.state()).isEqualTo(State.PROGRESSING);
      assertThat(resumed.release()).isEqualTo("r2");
      assertThat(resumed.weight()).isEqualByComparingTo("12.5");
      assertThat(resumed.strategy().minSamples()).isEqualTo(1_000_000);
      assertThat(resumed.history().stream().map(Decision::action))
          .containsExactly("start", "resume");
      assertThat(platform.describe("again").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(
              AliasTarget.canary(1, 2, new BigDecimal("12.5"), io.fctoolkit.core.Affinity.KEY));

      // paused and resumed through the control API, the alias unmoved
      RolloutStatus paused = platform.pauseRollout("again", "live", "checking logs");
      assertThat(paused.state()).isEqualTo(State.PAUSED);
      assertThat(paused.history().get(paused.history().size() - 1).reason())
          .isEqualTo("paused: checking logs");
      assertThat(platform.rollout("again", "live").orElseThrow().state()).isEqualTo(State.PAUSED);
      RolloutStatus going = platform.resumeRollout("again", "live", null);
      assertThat(going.state()).isEqualTo(State.PROGRESSING);
      assertThat(going.history().get(going.history().size() - 1).reason())
          .isEqualTo("resumed through the control API");
      assertThat(platform.describe("again").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(
              AliasTarget.canary(1, 2, new BigDecimal("12.5"), io.fctoolkit.core.Affinity.KEY));

      RolloutStatus aborted = platform.abortRollout("again", "live", "by hand");
      assertThat(aborted.state()).isEqualTo(State.ABORTED);
      assertThat(aborted.reason()).isEqualTo("aborted: by hand");
      assertThat(platform.describe("again").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(AliasTarget.of(1));
    }
  }

  @Test
  void promoteNow_overTheControlApi_givesTheCanaryAllTraffic() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      Alias alias = setUp(platform, "now", Fixtures.HELLO, Map.of("GREETING", "two"));
      RolloutStatus started =
          platform.startRollout(
              new RolloutRequest(
                  "now",
                  "live",
                  2,
                  "r2",
                  strategy(1_000_000, RolloutGates.DEFAULT),
                  alias.revision(),
                  List.of(new SmokeRequest("hello.json", "POST", "/", Map.of(), "smoke", 200))));
      assertThat(started.history().get(0).reason())
          .endsWith("after its 1 smoke invocations answered as expected");
      // When
      RolloutStatus promoted = platform.promoteRollout("now", "live", null);
      // Then
      assertThat(promoted.state()).isEqualTo(State.PROMOTED);
      assertThat(promoted.reason()).isEqualTo("promoted: by hand through the control API");
      assertThat(platform.describe("now").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(AliasTarget.of(2));
      var again =
          Fixtures.http(server, "POST", "/v1/functions/now/aliases/live/rollout/pause", null);
      assertThat(again.statusCode()).isEqualTo(404);
      assertThat(again.body()).contains("PROMOTED");
      // and the runtime's Prometheus text carries the rollout's families
      var metrics = Fixtures.http(server, "GET", "/metrics", null);
      assertThat(metrics.body())
          .contains("fc_rollout_state{function=\"now\",alias=\"live\",state=\"PROMOTED\"} 1")
          .contains("fc_rollout_promotions_total{function=\"now\",alias=\"live\"} 1");
    }
  }

  @Test
  void failingSmokeInvocation_stopsTheRolloutBeforeAnyTraffic() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      Alias alias =
          setUp(platform, "smoky", FLAKY, Map.of("GREETING", "two", "FAIL_PERCENT", "100"));
      // When
      RolloutStatus s =
          platform.startRollout(
              new RolloutRequest(
                  "smoky",
                  "live",
                  2,
                  "r2",
                  strategy(100, RolloutGates.DEFAULT),
                  alias.revision(),
                  List.of(
                      new SmokeRequest(
                          "grade.json",
                          "POST",
                          "/",
                          Map.of("content-type", "application/json"),
                          "{}",
                          200))));
      // Then
      assertThat(s.state()).isEqualTo(State.ROLLED_BACK);
      assertThat(s.reason())
          .isEqualTo(
              "smoke invocation 'grade.json' of version 2 answered 500, expected 200:"
                  + " flaky: failed on purpose");
      Alias after = platform.describe("smoky").orElseThrow().alias("live").orElseThrow();
      assertThat(after.target()).isEqualTo(AliasTarget.of(1));
      assertThat(after.revision()).isEqualTo(alias.revision());
    }
  }
}
