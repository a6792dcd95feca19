package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Version;
import io.fctoolkit.runtime.TriggerHost;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus exposition and JSON figures, from counters set by hand. */
class RuntimeMetricsTest {

  @TempDir Path dir;

  @Test
  void prometheus_writesEveryFamilyOnce_withItsTypeAndTheVersionAndAliasSeries() throws Exception {
    // Given one function with two versions and an alias, with counters
    StateStore state = StateStore.open(dir);
    for (int n = 1; n <= 2; n++) {
      Version v =
          new Version(
              "fn",
              n,
              "sha256:" + "0".repeat(64),
              FunctionConfig.builder("fn", "x.H").build(),
              "c" + n,
              null,
              Instant.now());
      state.update("fn", e -> StateStore.withVersion(e, v));
    }
    StatsRegistry stats = new StatsRegistry();
    stats.version("fn", 1).answered(200, 12.0);
    stats.version("fn", 1).answered(503, 30.0);
    stats.version("fn", 1).answered(429, 1.0);
    stats.version("fn", 2).coldStarts.increment();
    stats.alias("fn", "prod").answered(500, 5.0);
    VersionPools pools =
        new VersionPools(
            v -> null,
            stats,
            new InstanceClient(),
            Executors.newSingleThreadExecutor(),
            Executors.newSingleThreadScheduledExecutor(),
            new PoolSettings(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, null),
            dir.resolve("logs"));
    RuntimeMetrics metrics = new RuntimeMetrics(state, pools, stats, TriggerHost.none());

    // When
    String text = metrics.prometheus();

    // Then every family has its HELP and TYPE exactly once
    for (RuntimeMetrics.Family f :
        java.util.stream.Stream.concat(
                RuntimeMetrics.VERSION_FAMILIES.stream(), RuntimeMetrics.ALIAS_FAMILIES.stream())
            .toList()) {
      assertThat(count(text, "# TYPE " + f.name() + " " + f.type() + "\n")).isEqualTo(1);
      assertThat(count(text, "# HELP " + f.name() + " ")).isEqualTo(1);
    }
    assertThat(RuntimeMetrics.VERSION_FAMILIES).hasSize(14);
    assertThat(text)
        .contains("fc_invocations_total{function=\"fn\",version=\"1\"} 3\n")
        .contains("fc_errors_total{function=\"fn\",version=\"1\"} 1\n")
        .contains("fc_rejected_total{function=\"fn\",version=\"1\"} 1\n")
        .contains("fc_cold_starts_total{function=\"fn\",version=\"2\"} 1\n")
        .contains("fc_start_waits_total{function=\"fn\",version=\"1\"} 0\n")
        .contains("fc_instances{function=\"fn\",version=\"2\"} 0\n")
        .contains("fc_request_duration_seconds_count{function=\"fn\",version=\"1\"} 3\n")
        .contains("fc_alias_errors_total{function=\"fn\",alias=\"prod\"} 1\n")
        .contains(
            "fc_alias_request_duration_seconds_bucket{function=\"fn\",alias=\"prod\",le=\"+Inf\"}"
                + " 1\n");
    // And the JSON figures agree
    assertThat(metrics.function("fn").versions().get(0).invocations()).isEqualTo(3);
    assertThat(metrics.function("fn").versions().get(0).errors()).isEqualTo(1);
    assertThat(metrics.aliases("fn")).isEmpty(); // the alias is not in the state
  }

  private static int count(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
