package io.fctoolkit.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.TestImages;
import io.fctoolkit.runtime.TriggerHost;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rising-load benchmark's counts: a request that waited for a start is counted, one that did
 * not is not, and a count that was not read fails the run.
 */
class ServedCountsTest {

  @TempDir Path dir;

  @Test
  void read_countsTheRequestThatWaitedForAStart_andNotTheWarmOneAfterIt() throws Exception {
    TestImages.Built image =
        TestImages.build(Files.createDirectories(dir.resolve("image")), "hello", "counts", true);
    ImageSource source = new ImageSource.Archive(image.tarball(), image.digest(), "local/hello");
    try (RuntimeServer server =
        RuntimeServer.start(
            RuntimeOptions.forTest(dir.resolve("state"))
                .withTriggers((i, d, e) -> TriggerHost.none()))) {
      // Given a routed version without standby whose instances idle out after 2 s
      LocalPlatform platform = server.client();
      FunctionConfig config =
          FunctionConfig.builder("counted", RuntimeBench.HELLO)
              .resources(new Resources(256, 10, Duration.ofSeconds(30)))
              .scaling(new Scaling(0, 2, Duration.ofSeconds(2), 0))
              .build();
      platform.publish(new PublishRequest(config, source, null));
      platform.putAlias(new AliasUpdate("counted", "live", AliasTarget.of(1), 0L));
      // and publish's instance gone
      RuntimeBench.waitFor(
          () -> platform.metrics("counted").versions().get(0).instances() == 0, 60_000);

      // When one request arrives at zero instances (it waits for a start), then one more at once
      // (the instance is warm)
      long t0 = System.nanoTime();
      assertThat(invoke(server).statusCode()).isEqualTo(200);
      double firstMs = (System.nanoTime() - t0) / 1e6;
      assertThat(invoke(server).statusCode()).isEqualTo(200);

      // Then the benchmark reads one start wait, the first request's, out of two answered
      ServedCounts counts = ServedCounts.read(RuntimeBench.get(server, "/metrics"), "counted");
      assertThat(counts.invocations()).isEqualTo(2);
      assertThat(counts.startWaits()).isEqualTo(1);
      assertThat(counts.queueWaits()).isEqualTo(1);
      assertThat(counts.coldStarts())
          .isEqualTo(2); // publish's instance, then the one it waited for
      // its latency, as the runtime measured it, is at most what the client measured
      assertThat(counts.startWaitMeanMs()).isPositive().isLessThanOrEqualTo(firstMs);
      assertThat(counts.startWaitP99()).matches("\\d+-\\d+");
      counts.requireConsistent(2, 2);
    }
  }

  @Test
  void read_whenTheStartWaitsSeriesIsMissing_failsNamingIt() {
    String labels = "{function=\"fn\",version=\"1\"}";
    String text =
        "fc_invocations_total"
            + labels
            + " 3\n"
            + "fc_cold_starts_total"
            + labels
            + " 1\n"
            + "fc_queue_waits_total"
            + labels
            + " 1\n"
            + "fc_queue_wait_request_duration_seconds_sum"
            + labels
            + " 0.5\n"
            // another version's start waits only: not this one's
            + "fc_start_waits_total{function=\"fn\",version=\"2\"} 1\n";

    assertThatThrownBy(() -> ServedCounts.read(text, "fn"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fc_start_waits_total{function=\"fn\",version=\"1\"}");
  }

  @Test
  void requireConsistent_whenNothingWasCounted_failsTheRun() {
    ServedCounts none = new ServedCounts(0, 0, 0, 0, 0, 0, 0, "-");

    assertThatThrownBy(() -> none.requireConsistent(100, 100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fc_invocations_total is 0");
  }

  @Test
  void requireConsistent_whenMoreStartWaitsThanQueued_failsTheRun() {
    ServedCounts counts = new ServedCounts(10, 2, 1, 100, 3, 3, 300, "100-160");

    assertThatThrownBy(() -> counts.requireConsistent(10, 10))
        .hasMessageContaining("fc_start_waits_total (3) exceeds fc_queue_waits_total (1)");
  }

  @Test
  void bucketQuantile_givesTheBucketHoldingTheQuantile() {
    String family = "fc_start_wait_request_duration_seconds";
    String prefix = family + "_bucket{function=\"fn\",version=\"1\",le=\"";
    String text =
        prefix
            + "0.1\"} 50\n"
            + prefix
            + "0.16\"} 98\n"
            + prefix
            + "0.25\"} 100\n"
            + prefix
            + "+Inf\"} 100\n";

    assertThat(ServedCounts.bucketQuantile(text, family, "fn", 0.99)).isEqualTo("160-250");
    assertThat(ServedCounts.bucketQuantile(text, family, "fn", 0.5)).isEqualTo("0-100");
  }

  @Test
  void ramp_sendsItsTotalWithinItsLength_fasterAndFaster() {
    RisingLoad.Ramp ramp = new RisingLoad.Ramp(2, 40, 30, 1, 6);

    assertThat(ramp.total()).isEqualTo(630);
    assertThat(ramp.due(0)).isZero();
    assertThat(ramp.due(ramp.total() - 1)).isBetween(29.9, 30.0);
    // the gap between requests shrinks from about 1/from to 1/to seconds
    assertThat(ramp.due(1) - ramp.due(0)).isBetween(0.4, 0.5);
    assertThat(ramp.due(629) - ramp.due(628)).isBetween(0.024, 0.026);
  }

  private static HttpResponse<String> invoke(RuntimeServer server) throws Exception {
    return RuntimeBench.HTTP.send(
        HttpRequest.newBuilder(URI.create(server.uri() + "/invoke/counted/live"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + server.token())
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
