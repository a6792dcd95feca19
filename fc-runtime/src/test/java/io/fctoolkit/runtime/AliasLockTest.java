package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alias moves lock per function: one function's slow warm-up never holds up another's. */
class AliasLockTest {

  @TempDir Path dir;

  @Test
  void slowWarmOfOneFunction_doesNotBlockAnAliasUpdateOfAnother() throws Exception {
    Path hold = dir.resolve("hold");
    try (RuntimeServer server =
        RuntimeServer.start(
            Fixtures.options(dir.resolve("state")).withStartTimeout(Duration.ofSeconds(120)))) {
      LocalPlatform platform = server.client();
      // A keeps two instances when routed: publish starts one, the alias move must warm a second.
      FunctionConfig a =
          FunctionConfig.builder("slow", "io.fctoolkit.runtime.testfn.HeldStart")
              .resources(new Resources(256, 4, Duration.ofSeconds(30)))
              .scaling(new Scaling(2, 2, Duration.ofMinutes(5)))
              .env(Map.of("HOLD", hold.toString()))
              .build();
      platform.publish(Fixtures.publish(a));
      platform.publish(Fixtures.publish(Fixtures.hello("quick").build()));

      // From now on an instance of A cannot finish starting.
      Files.writeString(hold, "held");
      CompletableFuture<Alias> moveA =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return platform.putAlias(new AliasUpdate("slow", "live", AliasTarget.of(1), 0L));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Path logA = server.stateDir().resolve("logs/slow/v1.log");
      assertThat(Fixtures.await(Duration.ofSeconds(60), () -> launches(logA) >= 2))
          .as("A's alias move is warming a second instance")
          .isTrue();

      Alias b = platform.putAlias(new AliasUpdate("quick", "live", AliasTarget.of(1), 0L));

      // B moved while A's warm-up was provably still waiting for its held instance.
      assertThat(b.revision()).isEqualTo(1);
      assertThat(moveA).isNotDone();
      assertThat(Files.exists(hold)).isTrue();

      // Release A: its move completes too.
      Files.delete(hold);
      Alias movedA = moveA.get(120, TimeUnit.SECONDS);
      assertThat(movedA.target()).isEqualTo(AliasTarget.of(1));
      assertThat(platform.metrics("slow").versions().get(0).instances()).isEqualTo(2);
    } finally {
      Files.deleteIfExists(hold);
    }
  }

  private static long launches(Path log) {
    try {
      return Files.exists(log)
          ? Files.readAllLines(log).stream().filter(l -> l.contains("instance launching")).count()
          : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
