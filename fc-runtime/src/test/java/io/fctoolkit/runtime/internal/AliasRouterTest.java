package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane's decisions, on a real state store and no instance. */
class AliasRouterTest {

  @TempDir Path dir;

  private StateStore state;
  private VersionPools pools;
  private AliasRouter router;
  private StatsRegistry stats;
  private ExecutorService launcher;
  private ScheduledExecutorService timer;
  private final AtomicInteger launches = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    state = StateStore.open(dir);
    launcher = Executors.newCachedThreadPool();
    timer = Executors.newSingleThreadScheduledExecutor();
    StatsRegistry stats = new StatsRegistry();
    pools =
        new VersionPools(
            v -> {
              launches.incrementAndGet();
              throw new IllegalStateException("this test starts no instance");
            },
            stats,
            new InstanceClient(),
            launcher,
            timer,
            new PoolSettings(
                1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null),
            dir.resolve("logs"));
    router = new AliasRouter(state::function, pools, stats);
    this.stats = stats;
    state.update("fn", e -> StateStore.withVersion(e, version(1, true)));
    state.update("fn", e -> StateStore.withVersion(e, version(2, false)));
  }

  @AfterEach
  void tearDown() {
    pools.closeAll();
    pools.closeLogs();
    launcher.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  void tokenLessRequests_whileAnAliasFlipsBetweenPublicAndPrivate_neverReachThePrivateVersion()
      throws Exception {
    // Given an alias that a control-plane thread keeps moving between public v1 and private v2
    point("live", AliasTarget.of(1));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger flips = new AtomicInteger();
    Thread flipper =
        new Thread(
            () -> {
              while (!stop.get()) {
                point("live", AliasTarget.of(flips.incrementAndGet() % 2 == 0 ? 1 : 2));
              }
            });
    flipper.start();
    int refused = 0;
    int routed = 0;
    try {
      // When token-less requests arrive meanwhile: at least 300, and on until the alias has
      // flipped often enough and both outcomes were seen (a loaded machine may run the flipper
      // rarely), bounded by count and time
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0;
          i < 300
              || (flips.get() <= 10 || refused == 0 || routed == 0)
                  && i < 200_000
                  && System.nanoTime() < deadline;
          i++) {
        InvokeResponse r =
            router
                .invoke("fn", "live", null, "POST", "/", Map.of(), new byte[0], false)
                .get(10, TimeUnit.SECONDS);
        if (r.status() == 401) {
          refused++;
        } else {
          routed++;
        }
      }
    } finally {
      stop.set(true);
      flipper.join();
    }

    // Then some were refused and some routed, but none ever reached the private version's pool
    assertThat(flips.get()).isGreaterThan(10);
    assertThat(refused).isPositive();
    assertThat(routed).isPositive();
    assertThat(pools.find("fn", 1)).isNotNull();
    assertThat(pools.find("fn", 2)).isNull();
  }

  @Test
  void aliasMovedBetweenAnyTwoReads_tokenLessRequestsNeverReachThePrivateVersion()
      throws Exception {
    // Given a state that moves the alias between public v1 and private v2 at every read: the worst
    // case of a move racing a request (a check and a routing that read the state apart would see
    // v1 public, then route to v2)
    point("live", AliasTarget.of(1));
    StateStore.FunctionEntry toV1 = state.function("fn").orElseThrow();
    point("live", AliasTarget.of(2));
    StateStore.FunctionEntry toV2 = state.function("fn").orElseThrow();
    AtomicInteger reads = new AtomicInteger();
    AliasRouter flipping =
        new AliasRouter(
            f -> java.util.Optional.of(reads.getAndIncrement() % 2 == 0 ? toV1 : toV2),
            pools,
            stats);
    int refused = 0;

    // When
    for (int i = 0; i < 100; i++) {
      if (flipping.mayBePublic("fn", "live")) {
        InvokeResponse r =
            flipping
                .invoke("fn", "live", null, "POST", "/", Map.of(), new byte[0], false)
                .get(10, TimeUnit.SECONDS);
        refused += r.status() == 401 ? 1 : 0;
      }
    }

    // Then every request the early check let through was refused by the decision itself
    assertThat(refused).isEqualTo(100);
    assertThat(pools.find("fn", 2)).isNull();
  }

  @Test
  void route_givesThePublicFlagOfTheVersionItChose() {
    point("canary", AliasTarget.canary(1, 2, new BigDecimal("50"), Affinity.KEY));
    for (int i = 0; i < 200; i++) {
      AliasRouter.Route r = router.route("fn", "canary", "key-" + i);
      assertThat(r.alias()).isEqualTo("canary");
      assertThat(r.publicVersion()).isEqualTo(r.version().number() == 1);
    }
    // The early check is the conservative one: an alias that may reach a private version is not
    // public, even when the version a given request would get is.
    assertThat(router.mayBePublic("fn", "canary")).isFalse();
    assertThat(router.mayBePublic("fn", "v1")).isTrue();
    assertThat(router.mayBePublic("fn", "2")).isFalse();
  }

  @Test
  void tokenLessRequest_toAPrivateVersion_isAnswered401_withoutTouchingItsPool() throws Exception {
    InvokeResponse r =
        router
            .invoke("fn", "2", null, "POST", "/", Map.of(), new byte[0], false)
            .get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers()).containsKey("www-authenticate");
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("Unauthorized")
        .contains("v2");
    assertThat(pools.find("fn", 2)).isNull();
    assertThat(launches).hasValue(0);
  }

  private void point(String alias, AliasTarget target) {
    state.update("fn", e -> StateStore.withAlias(e, new Alias("fn", alias, target, 1, null)));
  }

  private static Version version(int number, boolean isPublic) {
    FunctionConfig config =
        FunctionConfig.builder("fn", "x.Handler" + number).publicInvoke(isPublic).build();
    return new Version(
        "fn", number, "sha256:" + "0".repeat(64), config, "content-" + number, null, Instant.now());
  }
}
