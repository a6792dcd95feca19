package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving an alias under load: scale before shift, old instances drain, no request fails. */
class AliasSwitchTest {

  @TempDir Path dir;

  @Test
  void aliasMovesUnderLoad_failNoRequest_andOldInstancesRetire() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "switch",
                  Fixtures.HELLO,
                  4,
                  4,
                  Duration.ofMinutes(5),
                  Map.of("GREETING", "one"))));
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "switch",
                  Fixtures.HELLO,
                  4,
                  4,
                  Duration.ofMinutes(5),
                  Map.of("GREETING", "two"))));
      Alias alias = platform.putAlias(new AliasUpdate("switch", "live", AliasTarget.of(1), 0L));

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      Map<String, AtomicInteger> byVersion = new ConcurrentHashMap<>();
      List<Thread> clients = new java.util.ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Thread client =
            new Thread(
                () -> {
                  HttpRequest request =
                      HttpRequest.newBuilder(
                              URI.create(server.uri() + "/invoke/switch/live?sleep=20"))
                          .header("Authorization", "Bearer " + server.token())
                          .timeout(Duration.ofSeconds(30))
                          .POST(HttpRequest.BodyPublishers.noBody())
                          .build();
                  while (running.get()) {
                    try {
                      HttpResponse<String> r =
                          http.send(request, HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        byVersion
                            .computeIfAbsent(
                                r.headers().firstValue("fc-version").orElse("?"),
                                k -> new AtomicInteger())
                            .incrementAndGet();
                      } else {
                        failures.add(r.statusCode() + " " + r.body());
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
        client.start();
        clients.add(client);
      }
      try {
        Thread.sleep(2000);
        int v1Instances = platform.metrics("switch").versions().get(0).instances();
        alias =
            platform.putAlias(
                new AliasUpdate("switch", "live", AliasTarget.of(2), alias.revision()));
        // Scale before shift: v2 was warmed to what v1 used before traffic moved.
        assertThat(platform.metrics("switch").versions().get(1).instances())
            .isGreaterThanOrEqualTo(Math.max(1, v1Instances));
        Thread.sleep(2000);
        alias =
            platform.putAlias(
                new AliasUpdate(
                    "switch",
                    "live",
                    AliasTarget.canary(2, 1, new BigDecimal("10"), Affinity.NONE),
                    alias.revision()));
        Thread.sleep(1500);
        alias =
            platform.putAlias(
                new AliasUpdate(
                    "switch",
                    "live",
                    AliasTarget.canary(2, 1, new BigDecimal("50"), Affinity.NONE),
                    alias.revision()));
        Thread.sleep(1500);
        alias =
            platform.putAlias(
                new AliasUpdate("switch", "live", AliasTarget.of(2), alias.revision()));
        Thread.sleep(1500);
      } finally {
        running.set(false);
        for (Thread c : clients) {
          c.join(30_000);
        }
      }
      assertThat(failures).isEmpty();
      assertThat(ok.get()).isGreaterThan(100);
      assertThat(byVersion.keySet()).containsExactlyInAnyOrder("1", "2");
      // v1 no longer routed: its instances drain and retire.
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(15),
                  () -> platform.metrics("switch").versions().get(0).instances() == 0))
          .isTrue();
      assertThat(platform.metrics("switch").versions().get(1).instances()).isPositive();
      assertThat(platform.metrics("switch").versions().get(0).errors()).isZero();
    }
  }
}
