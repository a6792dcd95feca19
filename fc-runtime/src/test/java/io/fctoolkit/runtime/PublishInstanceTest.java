package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.VersionMetrics;
import io.fctoolkit.runtime.internal.RuntimeJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start once per deploy: the instance publish starts to prove the function loads becomes the
 * version's first instance, so the alias move that follows starts nothing and serving is immediate.
 */
class PublishInstanceTest {

  @TempDir Path dir;

  @Test
  void publishedInstance_servesTheVersion_andTheAliasMoveStartsNothing() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      platform.publish(Fixtures.publish(greeting("one")));
      assertThat(v(platform, 1).instances()).isEqualTo(1);
      assertThat(v(platform, 1).coldStarts()).isEqualTo(1);
      long pid = pid(server, 1);

      Alias alias = platform.putAlias(new AliasUpdate("once", "live", AliasTarget.of(1), 0L));
      assertThat(Fixtures.http(server, "POST", "/invoke/once/live", "").body()).isEqualTo("one");
      // Served by publish's instance: nothing else was started.
      assertThat(v(platform, 1).coldStarts()).isEqualTo(1);
      assertThat(pid(server, 1)).isEqualTo(pid);

      platform.publish(Fixtures.publish(greeting("two")));
      assertThat(v(platform, 2).coldStarts()).isEqualTo(1);
      platform.putAlias(new AliasUpdate("once", "live", AliasTarget.of(2), alias.revision()));
      // Scale before shift wanted one instance (what v1 used) and found it ready.
      assertThat(v(platform, 2).coldStarts()).isEqualTo(1);
      assertThat(Fixtures.http(server, "POST", "/invoke/once/live", "").body()).isEqualTo("two");
      // The instance was started with the version's own number in its environment.
      assertThat(Fixtures.http(server, "POST", "/invoke/once/live?env=FC_VERSION", "").body())
          .isEqualTo("2");
      assertThat(v(platform, 2).coldStarts()).isEqualTo(1);
    }
  }

  private static FunctionConfig greeting(String greeting) {
    FunctionConfig config =
        Fixtures.config(
            "once", Fixtures.HELLO, 4, 2, Duration.ofMinutes(5), Map.of("GREETING", greeting));
    // Standby 0: with a standby, the first request starts a spare beside publish's instance
    // (ScalingTest covers that the move then warms the target to the old count, spare included).
    return config.toBuilder().scaling(config.scaling().withStandby(0)).build();
  }

  private static VersionMetrics v(LocalPlatform platform, int number) {
    return platform.metrics("once").versions().stream()
        .filter(m -> m.version() == number)
        .findFirst()
        .orElseThrow();
  }

  private static long pid(RuntimeServer server, int version) throws Exception {
    String body =
        Fixtures.http(server, "GET", "/v1/functions/once/versions/" + version + "/instances", null)
            .body();
    var instances = RuntimeJson.MAPPER.readTree(body);
    assertThat(instances.size()).isEqualTo(1);
    return instances.get(0).get("pid").asLong();
  }
}
