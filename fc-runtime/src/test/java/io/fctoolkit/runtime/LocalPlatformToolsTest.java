package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.LogChunk;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the plugin's fc:invoke, fc:send and fc:logs ask of the runtime: a request's method, path,
 * query and headers reach the function; the runtime names its Kafka cluster once it has one; a
 * version's log is read by offset and names its file, and failure hints name that file.
 */
class LocalPlatformToolsTest {

  @TempDir Path dir;

  /** A trigger host on a known cluster, as the Kafka engine reports its broker. */
  static final class ClusterHost implements TriggerHost {
    @Override
    public void put(TriggerSpec trigger) {}

    @Override
    public void delete(String function, String trigger) {}

    @Override
    public Optional<TriggerStatus> status(String function, String trigger) {
      return Optional.empty();
    }

    @Override
    public Optional<String> bootstrapServers() {
      return Optional.of("127.0.0.1:19092");
    }

    @Override
    public void close() {}
  }

  @Test
  void kafkaBootstrapServers_isWhatTheTriggerHostReports_andEmptyWithoutOne() throws Exception {
    try (RuntimeServer server =
        RuntimeServer.start(
            RuntimeOptions.forTest(dir.resolve("a"))
                .withTriggers((invoker, state, events) -> new ClusterHost()))) {
      assertThat(server.client().kafkaBootstrapServers()).contains("127.0.0.1:19092");
    }
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("b")))) {
      assertThat(server.client().kafkaBootstrapServers()).isEmpty();
    }
  }

  @Test
  void invoke_passesMethodPathQueryAndHeaders_andLogsAreReadByOffsetNamingTheFile()
      throws Exception {
    Path state = dir.resolve("state");
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(state))) {
      LocalPlatform platform = server.client();
      // No standby: a standby instance getting ready would write to the log between the reads.
      Scaling noStandby =
          new Scaling(
              Scaling.DEFAULT.minInstances(),
              Scaling.DEFAULT.maxInstances(),
              Scaling.DEFAULT.idleTimeout(),
              0);
      platform.publish(Fixtures.publish(Fixtures.hello("tools").scaling(noStandby).build()));
      platform.putAlias(new AliasUpdate("tools", "dev", AliasTarget.of(1), 0L));

      // When
      InvokeResponse response =
          platform.invoke(
              new InvokeRequest(
                  "tools",
                  "dev",
                  "PUT",
                  "/items/a%20b?echo=1&name=J%20S",
                  "x".getBytes(StandardCharsets.UTF_8),
                  Map.of("x-echo", "hi"),
                  null));

      // Then
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("PUT /items/a%20b echo=1&name=J%20S hi");
      Path file = state.toAbsolutePath().resolve("logs/tools/v1.log");
      assertThat(platform.logLocation("tools", 1)).contains(file.toString());
      LogChunk tail = platform.readLog("tools", 1, -5).orElseThrow();
      assertThat(tail.location()).isEqualTo(file.toString());
      assertThat(Files.exists(file)).isTrue();
      assertThat(tail.nextOffset()).isEqualTo(Files.size(file));
      LogChunk all = platform.readLog("tools", 1, 0).orElseThrow();
      assertThat(all.data()).isEqualTo(Files.readAllBytes(file));
      LogChunk rest = platform.readLog("tools", 1, tail.nextOffset()).orElseThrow();
      assertThat(rest.data()).isEmpty();
      assertThat(rest.nextOffset()).isEqualTo(tail.nextOffset());
    }
  }
}
