package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.State;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime as a real child process, SIGKILLed in the middle of a rollout's second step under
 * load, then restarted on the same state folder: the alias is at one of the rollout's own weights
 * (never half-moved), the rollout resumes at that step and promotes, and no request after the
 * restart fails; the only failures clients saw were connections cut by the kill itself, which a
 * client retries.
 */
class RolloutKillNineTest {

  @TempDir Path dir;
  private RuntimeChild runtimes;

  @AfterEach
  void killEverything() {
    if (runtimes != null) {
      runtimes.close();
    }
  }

  /** Clients invoking the alias in a loop; a failure is an HTTP error or a refused/cut call. */
  private static final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger ok = new AtomicInteger();
    final List<String> httpErrors = new CopyOnWriteArrayList<>();
    final List<Long> cutAt = new CopyOnWriteArrayList<>();
    final List<Thread> clients = new ArrayList<>();

    Load(LocalPlatform platform, String function, int threads) {
      for (int t = 0; t < threads; t++) {
        Thread c =
            new Thread(
                () -> {
                  int i = 0;
                  while (running.get()) {
                    try {
                      InvokeResponse r =
                          platform.invoke(
                              new InvokeRequest(
                                  function,
                                  "live",
                                  ("x" + i).getBytes(StandardCharsets.UTF_8),
                                  Map.of("content-type", "text/plain"),
                                  "k" + (i++ % 50)));
                      if (r.status() == 200) {
                        ok.incrementAndGet();
                      } else {
                        httpErrors.add(r.status() + " from v" + r.version() + ": " + r.bodyText());
                      }
                    } catch (FcException e) {
                      // connection refused or cut: the runtime is gone
                      cutAt.add(System.nanoTime());
                      sleep();
                    }
                  }
                });
        c.start();
        clients.add(c);
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
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

  @Test
  void killMinus9_duringAStep_restartResumesAtTheAliasesStep_andPromotesWithNoFailedRequest()
      throws Exception {
    Path state = dir.resolve("state");
    runtimes = new RuntimeChild(dir);
    Process first = runtimes.start(state);
    LocalPlatform platform = LocalPlatform.connect(state);
    platform.publish(
        Fixtures.publish(
            Fixtures.config(
                "steady", Fixtures.HELLO, 4, 3, Duration.ofMinutes(5), Map.of("GREETING", "one"))));
    platform.publish(
        Fixtures.publish(
            Fixtures.config(
                "steady", Fixtures.HELLO, 4, 3, Duration.ofMinutes(5), Map.of("GREETING", "two"))));
    Alias alias = platform.putAlias(new AliasUpdate("steady", "live", AliasTarget.of(1), 0L));
    RolloutStrategy strategy =
        new RolloutStrategy(
            List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
            150,
            Duration.ofSeconds(1),
            Duration.ofSeconds(120),
            RolloutStrategy.Inconclusive.ROLLBACK,
            new RolloutGates(BigDecimal.ONE, null, null, BigDecimal.ONE, null));

    long killedAt;
    Load before = new Load(platform, "steady", 4);
    try {
      Thread.sleep(1000);
      platform.startRollout(
          new RolloutRequest("steady", "live", 2, "r2", strategy, alias.revision()));
      // When: SIGKILL once the rollout is in its second step with some of its samples counted
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(90),
                  () -> {
                    RolloutStatus s = platform.rollout("steady", "live").orElseThrow();
                    return s.step() == 1 && s.samples() > 10 || s.state().finished();
                  }))
          .isTrue();
      assertThat(platform.rollout("steady", "live").orElseThrow().state())
          .isEqualTo(State.PROGRESSING);
      killedAt = System.nanoTime();
      first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      before.close();
    }
    // Then: before the kill, every request succeeded; the kill only cut connections
    assertThat(before.httpErrors).isEmpty();
    assertThat(before.cutAt).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(killedAt));
    assertThat(before.ok.get()).isGreaterThan(100);

    runtimes.start(state);
    LocalPlatform again = LocalPlatform.connect(state);
    // the alias is exactly where the rollout left it, and the rollout says the same
    AliasTarget target =
        again.describe("steady").orElseThrow().alias("live").orElseThrow().target();
    assertThat(target).isEqualTo(AliasTarget.canary(1, 2, BigDecimal.valueOf(50), Affinity.KEY));
    RolloutStatus resumed = again.rollout("steady", "live").orElseThrow();
    assertThat(resumed.state()).isEqualTo(State.PROGRESSING);
    assertThat(resumed.step()).isEqualTo(1);
    assertThat(resumed.weight()).isEqualByComparingTo("50");
    assertThat(resumed.release()).isEqualTo("r2");
    assertThat(resumed.history().stream().map(Decision::action))
        .containsExactly("start", "advance", "resume");

    RolloutStatus end;
    try (Load after = new Load(again, "steady", 4)) {
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(90),
                  () -> again.rollout("steady", "live").orElseThrow().state().finished()))
          .isTrue();
      end = again.rollout("steady", "live").orElseThrow();
      Thread.sleep(500);
      after.close();
      assertThat(after.httpErrors).isEmpty();
      assertThat(after.cutAt).isEmpty();
      assertThat(after.ok.get()).isGreaterThan(150);
    }
    assertThat(end.state()).isEqualTo(State.PROMOTED);
    assertThat(end.history().stream().map(Decision::action))
        .containsExactly("start", "advance", "resume", "promote");
    // the resumed step counted its samples again from 0 and still met its minimum
    assertThat(end.history().get(3).samples()).isGreaterThanOrEqualTo(150);
    assertThat(again.describe("steady").orElseThrow().alias("live").orElseThrow().target())
        .isEqualTo(AliasTarget.of(2));
    InvokeResponse served = again.invoke(InvokeRequest.json("steady", "live", "y"));
    assertThat(served.version()).isEqualTo(2);
    assertThat(served.bodyText()).isEqualTo("two y");
  }
}
