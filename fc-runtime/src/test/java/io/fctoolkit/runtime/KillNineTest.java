package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime as a real child process, killed with SIGKILL and restarted on its state folder. */
class KillNineTest {

  @TempDir Path dir;
  private RuntimeChild runtimes;

  @AfterEach
  void killEverything() {
    if (runtimes != null) {
      runtimes.close();
    }
  }

  @Test
  void killMinus9_atAnyMoment_restartResolvesAliasesExactlyAsBefore() throws Exception {
    Path state = dir.resolve("state");
    runtimes = new RuntimeChild(dir);
    Process first = runtimes.start(state);
    LocalPlatform platform = LocalPlatform.connect(state);
    platform.publish(
        Fixtures.publish(Fixtures.hello("durable").env(Map.of("GREETING", "one")).build()));
    platform.publish(
        Fixtures.publish(Fixtures.hello("durable").env(Map.of("GREETING", "two")).build()));
    Alias alias = platform.putAlias(new AliasUpdate("durable", "prod", AliasTarget.of(1), 0L));
    InvokeResponse before = platform.invoke(InvokeRequest.json("durable", "prod", "x"));
    assertThat(before.status()).isEqualTo(200);
    List<ProcessHandle> instances = first.toHandle().descendants().toList();
    assertThat(instances).isNotEmpty();

    // Flip the alias as fast as possible and SIGKILL the runtime in the middle of it.
    AtomicLong acknowledged = new AtomicLong(alias.revision());
    Thread flipper =
        new Thread(
            () -> {
              long revision = acknowledged.get();
              for (int i = 0; i < 10_000; i++) {
                try {
                  Alias a =
                      platform.putAlias(
                          new AliasUpdate(
                              "durable", "prod", AliasTarget.of(i % 2 == 0 ? 2 : 1), revision));
                  revision = a.revision();
                  acknowledged.set(revision);
                } catch (FcException e) {
                  return; // the runtime is gone
                }
              }
            });
    flipper.start();
    Thread.sleep(1500);
    first.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    flipper.join(10_000);
    long acked = acknowledged.get();
    assertThat(acked).isGreaterThan(alias.revision());

    Process second = runtimes.start(state);
    LocalPlatform again = LocalPlatform.connect(state);
    Alias after = again.describe("durable").orElseThrow().alias("prod").orElseThrow();
    // Every acknowledged write survived; at most the one in flight at the kill was also applied.
    assertThat(after.revision()).isBetween(acked, acked + 1);
    int expectedVersion = after.target().version();
    InvokeResponse served = again.invoke(InvokeRequest.json("durable", "prod", "y"));
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.version()).isEqualTo(expectedVersion);
    assertThat(served.bodyText()).isEqualTo((expectedVersion == 1 ? "one" : "two") + " y");
    assertThat(again.describe("durable").orElseThrow().versions()).hasSize(2);
    // Instances orphaned by the kill were reaped by the restarted runtime.
    assertThat(
            Fixtures.await(
                Duration.ofSeconds(10), () -> instances.stream().noneMatch(ProcessHandle::isAlive)))
        .isTrue();
    second.destroy();
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(second.toHandle().descendants().toList()).isEmpty();
  }
}
