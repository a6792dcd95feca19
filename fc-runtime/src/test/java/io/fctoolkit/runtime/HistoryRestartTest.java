package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's history survives a restart of the runtime on the same state directory. */
class HistoryRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void history_isKeptAcrossARestart() throws Exception {
    String before = System.setProperty("fc.runtime.historyIntervalMs", "200");
    try {
      List<Long> timesBefore;
      double invocationsBefore;
      try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
        LocalPlatform platform = server.client();
        platform.publish(Fixtures.publish(Fixtures.hello("hello").build()));
        platform.putAlias(new AliasUpdate("hello", "live", AliasTarget.of(1), 0L));
        // Invoke until a sample shows it: a version's first sample is its counters' baseline, so
        // requests made before that sample (a loaded machine can delay it) never show as a rate.
        assertThat(
                Fixtures.await(
                    Duration.ofSeconds(60),
                    () -> {
                      invokeOnce(server);
                      return invocations(history(server)) > 0;
                    }))
            .isTrue();
        JsonNode h = history(server);
        timesBefore = times(h);
        invocationsBefore = invocations(h);
      } // close saves the history

      try (RuntimeServer again = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
        JsonNode h = history(again);
        assertThat(times(h)).as("columns from before the restart").containsAll(timesBefore);
        assertThat(invocations(h)).isGreaterThanOrEqualTo(invocationsBefore);
        // and sampling goes on after them
        long last = timesBefore.get(timesBefore.size() - 1);
        assertThat(
                Fixtures.await(
                    Duration.ofSeconds(10),
                    () -> times(history(again)).stream().anyMatch(t -> t > last + 200)))
            .isTrue();
      }
    } finally {
      if (before == null) {
        System.clearProperty("fc.runtime.historyIntervalMs");
      } else {
        System.setProperty("fc.runtime.historyIntervalMs", before);
      }
    }
  }

  private static void invokeOnce(RuntimeServer server) {
    try {
      assertThat(Fixtures.http(server, "POST", "/invoke/hello/live", "x").statusCode())
          .isEqualTo(200);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode history(RuntimeServer server) {
    try {
      return JSON.readTree(
          Fixtures.http(server, "GET", "/v1/functions/hello/history", null).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<Long> times(JsonNode h) {
    List<Long> out = new ArrayList<>();
    h.path("times").forEach(t -> out.add(t.asLong()));
    return out;
  }

  private static double invocations(JsonNode h) {
    double sum = 0;
    for (JsonNode v : h.path("series").path("versions").path("1").path("invocationsPerSec")) {
      sum += v.asDouble(0);
    }
    return sum;
  }
}
