package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: a real runtime with a real function (two versions) fed by a
 * trigger on the embedded Kafka broker, records arriving in bursts (so the backlog grows and
 * drains) with some that the function refuses (dead letters), v2 failing often; then {@code
 * dashboard/test/browser.test.mjs} drives Debian's Chromium through playwright-core: the login
 * link, charts getting points, a backlog draining, v2's error spike, alias moves and a rollback as
 * markers, a rollout of v2 rolled back by its checks (steps, checks, decisions), a dead letter with
 * its reason, the log tail, no console error, no request elsewhere, the CSP. Screenshots go to
 * target/dashboard-screenshots/.
 */
class DashboardBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void install() throws Exception {
    NodeTools.install();
  }

  @Test
  @Timeout(600)
  void dashboard_inChromium_showsTheTriggerAndTheFunctionLive() throws Exception {
    String chromium = NodeTools.chromium();
    KafkaTriggersOf triggers = new KafkaTriggersOf();
    RuntimeOptions options = triggers.install(RuntimeOptions.forTest(dir.resolve("state")));
    // One sample a second, so the page has points within seconds (the default is 5 s).
    String before = System.setProperty("fc.runtime.historyIntervalMs", "1000");
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      // v1 answers like Picky; v2 (Flaky) fails 60% of its requests with 500: its error spike and
      // the rollout that rolls it back.
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "dash",
                  "io.fctoolkit.runtime.testfn.Picky",
                  2,
                  2,
                  Duration.ofMinutes(5),
                  Map.of("GREETING", "one"))));
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "dash",
                  "io.fctoolkit.runtime.testfn.Flaky",
                  2,
                  2,
                  Duration.ofMinutes(5),
                  Map.of("GREETING", "two", "FAIL_PERCENT", "60"))));
      platform.putAlias(new AliasUpdate("dash", "live", AliasTarget.of(1), 0L));
      platform.putTrigger(
          TriggerSpec.builder("orders", "dash", "live", "dash-in")
              .partitions(2)
              .maxInFlight(4)
              .retry(new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(200)))
              .deadLetterTopic("dash-dlq")
              .build());
      String bootstrap = triggers.bootstrapServers();

      // Bursts of slow records every 6 s (the backlog grows, then drains), one bad record in each.
      AtomicInteger sent = new AtomicInteger();
      KafkaProducer<String, String> producer = producer(bootstrap);
      traffic.scheduleWithFixedDelay(
          () -> {
            int burst = sent.getAndAdd(60);
            for (int i = 0; i < 60; i++) {
              String value = (i == 7 ? "bad " : "slow ") + (burst + i);
              producer.send(new ProducerRecord<>("dash-in", "key-" + ((burst + i) % 10), value));
            }
            producer.flush();
          },
          0,
          6,
          TimeUnit.SECONDS);

      NodeTools.Run run =
          NodeTools.run(
              List.of("node", "--test", "--test-concurrency=1", "test/browser.test.mjs"),
              Map.of(
                  "DASH_LINK", platform.dashboardLink("dash").orElseThrow().toString(),
                  "DASH_BASE", server.uri().toString(),
                  "DASH_TOKEN", server.token(),
                  "DASH_FUNCTION", "dash",
                  "DASH_ALIAS", "live",
                  "DASH_SHOTS", Path.of("target/dashboard-screenshots").toAbsolutePath().toString(),
                  "CHROMIUM", chromium),
              Duration.ofMinutes(5),
              "browser");
      traffic.shutdownNow();
      traffic.awaitTermination(10, TimeUnit.SECONDS);
      producer.close(Duration.ofSeconds(5));
      assertThat(run.exitCode()).as("browser test output:%n%s", run.output()).isZero();
      assertThat(run.output()).contains("# pass 1").contains("# fail 0");

      // And the same figures through the token's routes: the trigger was sampled per partition
      // with its rates, and the bad records are noted with the function's answer.
      JsonNode orders =
          JSON.readTree(Fixtures.http(server, "GET", "/v1/functions/dash/history", null).body())
              .path("series")
              .path("triggers")
              .path("orders");
      assertThat(orders.path("partitions").size()).isEqualTo(2);
      assertThat(orders.path("partitions").path("0").has("oldestAgeMs")).isTrue();
      double delivered = 0;
      for (JsonNode v : orders.path("deliveredPerSec")) {
        delivered += v.asDouble(0);
      }
      assertThat(delivered).isPositive();
      JsonNode notes =
          JSON.readTree(
                  Fixtures.http(server, "GET", "/v1/functions/dash/dead-letters", null).body())
              .path("deadLetters");
      assertThat(notes.size()).isPositive();
      // v1's bad records (400, at once); v2's failures (500) may be among them too.
      assertThat(notes)
          .anySatisfy(
              n -> {
                assertThat(n.path("form").asText()).isEqualTo("dead-letter");
                assertThat(n.path("status").asInt()).isEqualTo(400);
                assertThat(n.path("reason").asText()).contains("bad record");
              });
    } finally {
      traffic.shutdownNow();
      if (before == null) {
        System.clearProperty("fc.runtime.historyIntervalMs");
      } else {
        System.setProperty("fc.runtime.historyIntervalMs", before);
      }
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(p);
  }
}
