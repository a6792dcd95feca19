package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/health} says "degraded", with the trigger host's problems, while the host has any,
 * and stays 200 then: the plugin takes any other status for a runtime that is gone.
 */
class HealthTest {

  @TempDir Path dir;

  @Test
  void health_withTriggerHostProblems_isDegraded200_andOkOnceTheyClear() throws Exception {
    // Given: a trigger host whose broker is down
    List<String> problems = new CopyOnWriteArrayList<>(List.of("embedded Kafka broker is down"));
    RuntimeOptions options =
        RuntimeOptions.forTest(dir.resolve("state"))
            .withTriggers((invoker, stateDir, events) -> new ProblemHost(problems));
    try (RuntimeServer server = RuntimeServer.start(options)) {
      // When: asked without a token, as the plugin does
      HttpResponse<String> degraded =
          Fixtures.http(server, "GET", "/v1/health", null, null, Map.of());

      // Then
      assertThat(degraded.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(degraded.body());
      assertThat(body.path("status").asText()).isEqualTo("degraded");
      assertThat(body.path("problems").get(0).asText()).isEqualTo("embedded Kafka broker is down");
      assertThat(server.client().isUp()).isTrue();

      // And: once the problem clears
      problems.clear();
      HttpResponse<String> ok = Fixtures.http(server, "GET", "/v1/health", null, null, Map.of());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(ok.body()).path("status").asText()).isEqualTo("ok");
      assertThat(new ObjectMapper().readTree(ok.body()).has("problems")).isFalse();
    }
  }

  /** A trigger host that runs nothing and reports the given problems. */
  private record ProblemHost(List<String> problems) implements TriggerHost {
    @Override
    public void put(TriggerSpec trigger) {}

    @Override
    public void delete(String function, String trigger) {}

    @Override
    public Optional<TriggerStatus> status(String function, String trigger) {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }
}
