package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvokeRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scale-out under a burst, scale to zero, queue overflow, crash handling. */
class ScalingTest {

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private CompletableFuture<HttpResponse<String>> post(RuntimeServer server, String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .header("Authorization", "Bearer " + server.token())
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void burst_scalesOutToMax_thenIdleInstancesStopDownToZero() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      // standby 0: this test is about scaling to zero (a routed version keeps its standby)
      FunctionConfig base =
          Fixtures.config("burst", Fixtures.HELLO, 2, 3, Duration.ofSeconds(2), Map.of());
      FunctionConfig config = base.toBuilder().scaling(base.scaling().withStandby(0)).build();
      platform.publish(Fixtures.publish(config));
      platform.putAlias(new AliasUpdate("burst", "live", AliasTarget.of(1), 0L));

      // 12 requests of 400 ms with 2 slots per instance: demand for 6 instances, max 3.
      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        slow.add(post(server, "/invoke/burst/live?sleep=400"));
      }
      int peak = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!slow.stream().allMatch(CompletableFuture::isDone) && System.nanoTime() < deadline) {
        peak = Math.max(peak, platform.metrics("burst").versions().get(0).instances());
        Thread.sleep(20);
      }
      for (var s : slow) {
        assertThat(s.get().statusCode()).isEqualTo(200);
      }
      assertThat(peak).isEqualTo(3);
      assertThat(platform.metrics("burst").versions().get(0).coldStarts()).isEqualTo(3);

      // Idle timeout 2 s, minimum 0: every instance stops.
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(20),
                  () -> platform.metrics("burst").versions().get(0).instances() == 0))
          .isTrue();
      // A request after scale-to-zero cold-starts again.
      assertThat(
              platform
                  .invoke(new InvokeRequest("burst", "live", "z".getBytes(), Map.of(), null))
                  .status())
          .isEqualTo(200);
      assertThat(platform.metrics("burst").versions().get(0).coldStarts()).isEqualTo(4);
    }
  }

  @Test
  void fullQueue_gets429() throws Exception {
    try (RuntimeServer server =
        RuntimeServer.start(
            Fixtures.options(dir.resolve("state")).withQueue(2, Duration.ofSeconds(30)))) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config("tight", Fixtures.HELLO, 1, 1, Duration.ofMinutes(1), Map.of())));
      // One instance up first, so the only slot exists when the burst arrives.
      assertThat(post(server, "/invoke/tight/1").get().statusCode()).isEqualTo(200);
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(post(server, "/invoke/tight/1?sleep=3000"));
      }
      int ok = 0;
      int rejected = 0;
      for (var c : calls) {
        var r = c.get();
        if (r.statusCode() == 200) {
          ok++;
        } else if (r.statusCode() == 429) {
          rejected++;
          assertThat(r.body()).contains("queue of 2 requests is full");
          assertThat(r.headers().firstValue("retry-after")).isPresent();
        }
      }
      // One in the only slot, two queued, the other three refused.
      assertThat(ok).isEqualTo(3);
      assertThat(rejected).isEqualTo(3);
    }
  }

  @Test
  void queuedRequest_thatGetsNoSlotInTime_gets503QueueTimeout() throws Exception {
    try (RuntimeServer server =
        RuntimeServer.start(
            Fixtures.options(dir.resolve("state")).withQueue(10, Duration.ofSeconds(1)))) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config("slow", Fixtures.HELLO, 1, 1, Duration.ofMinutes(1), Map.of())));
      assertThat(post(server, "/invoke/slow/1").get().statusCode()).isEqualTo(200);
      var holder = post(server, "/invoke/slow/1?sleep=4000");
      Thread.sleep(300);
      long start = System.nanoTime();
      var waiting = post(server, "/invoke/slow/1").get();
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(waiting.statusCode()).isEqualTo(503);
      assertThat(waiting.headers().firstValue("fc-error")).contains("QueueTimeout");
      assertThat(waiting.body()).contains("no instance of slow v1 had a free slot within 1000 ms");
      assertThat(waitedMs).isBetween(900L, 15_000L);
      assertThat(holder.get().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void crash_removesInstanceAtOnce_failsWith502_orRetriesWhenIdempotent() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config("fragile", Fixtures.HELLO, 4, 2, Duration.ofMinutes(1), Map.of())));
      assertThat(Fixtures.http(server, "POST", "/invoke/fragile/1", "warm").statusCode())
          .isEqualTo(200);
      long pidBefore = pid(server, "fragile");

      var crashed = Fixtures.http(server, "POST", "/invoke/fragile/1?crash=1", "");
      assertThat(crashed.statusCode()).isEqualTo(502);
      assertThat(crashed.body()).contains("InstanceCrashed").contains("fragile-v1-1");
      assertThat(platform.metrics("fragile").versions().get(0).instances()).isZero();

      // A new instance replaces it and serves.
      var after = Fixtures.http(server, "POST", "/invoke/fragile/1", "again");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(pid(server, "fragile")).isNotEqualTo(pidBefore);

      // An idempotent function's request is retried once on a fresh instance.
      FunctionConfig idem =
          FunctionConfig.builder("sturdy", Fixtures.HELLO).idempotent(true).build();
      platform.publish(Fixtures.publish(idem));
      Path marker = dir.resolve("crashed-once");
      var retried = Fixtures.http(server, "POST", "/invoke/sturdy/1?crashOnce=" + marker, "ok");
      assertThat(retried.statusCode()).isEqualTo(200);
      assertThat(retried.body()).isEqualTo("hello ok");
      assertThat(marker).exists();
    }
  }

  @Test
  void minInstances_areStartedForRoutedVersions_andNotReaped() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      FunctionConfig config =
          FunctionConfig.builder("warm", Fixtures.HELLO)
              .scaling(new io.fctoolkit.core.Scaling(1, 2, Duration.ofMillis(500)))
              .build();
      platform.publish(Fixtures.publish(config));
      // Not routed yet: the instance publish started idles out like any other, down to zero.
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(30),
                  () -> platform.metrics("warm").versions().get(0).instances() == 0))
          .isTrue();
      platform.putAlias(new AliasUpdate("warm", "live", AliasTarget.of(1), 0L));
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(30),
                  () -> platform.metrics("warm").versions().get(0).instances() == 1))
          .isTrue();
      // Well past the idle timeout, the minimum stays.
      Thread.sleep(2000);
      assertThat(platform.metrics("warm").versions().get(0).instances()).isEqualTo(1);
      // publish's instance, then the minimum once routed
      assertThat(platform.metrics("warm").versions().get(0).coldStarts()).isEqualTo(2);
    }
  }

  @Test
  void aliasMove_warmsTheStandbyFirst_andTheRoutedVersionKeepsIt() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      FunctionConfig config =
          FunctionConfig.builder("spare", Fixtures.HELLO)
              .scaling(new io.fctoolkit.core.Scaling(0, 3, Duration.ofMillis(300), 2))
              .build();
      platform.publish(Fixtures.publish(config));

      // When an alias first routes to the version (publish left one instance)
      platform.putAlias(new AliasUpdate("spare", "live", AliasTarget.of(1), 0L));

      // Then the move returned with the standby headroom ready, no request having come
      assertThat(platform.metrics("spare").versions().get(0).instances()).isEqualTo(2);
      // and, well past the idle timeout, the idle standbys stay
      Thread.sleep(1500);
      assertThat(platform.metrics("spare").versions().get(0).instances()).isEqualTo(2);
    }
  }

  private static long pid(RuntimeServer server, String fn) throws Exception {
    String body =
        Fixtures.http(server, "GET", "/v1/functions/" + fn + "/versions/1/instances", null).body();
    return io.fctoolkit.runtime.internal.RuntimeJson.MAPPER
        .readTree(body)
        .get(0)
        .get("pid")
        .asLong();
  }
}
