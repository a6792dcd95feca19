package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.kafka.FaultDiagnostics;
import io.fctoolkit.runtime.kafka.KafkaTestClients;
import io.fctoolkit.runtime.kafka.ProgressWait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path: the runtime server starts its embedded broker in the state folder, a trigger put
 * through the control API delivers records to real fc-host instances, the alias moves while records
 * flow, and a restarted runtime resumes the stored trigger where its group left off.
 */
class TriggerEndToEndTest {

  @TempDir Path dir;

  @Test
  void triggerThroughControlApi_survivesAliasMovesAndRestart() throws Exception {
    Path state = dir.resolve("state");
    KafkaTriggersOf triggers = new KafkaTriggersOf();
    RuntimeOptions options = triggers.install(RuntimeOptions.forTest(state));
    Map<String, Integer> results = new HashMap<>();
    Map<String, String> versions = new HashMap<>();
    TriggerSpec spec =
        TriggerSpec.builder("submissions", "e2e", "live", "e2e-in")
            .ordering(Ordering.KEY)
            .maxInFlight(16)
            .deadLetterTopic("e2e-dlq")
            .onSuccessTopic("e2e-out")
            .partitions(4)
            .build();
    String bootstrap;
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "e2e", Fixtures.HELLO, 4, 2, Duration.ofMinutes(5), Map.of("GREETING", "one"))));
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "e2e", Fixtures.HELLO, 4, 2, Duration.ofMinutes(5), Map.of("GREETING", "two"))));
      Alias alias = platform.putAlias(new AliasUpdate("e2e", "live", AliasTarget.of(1), 0L));

      // When: a trigger is put through the control API (the embedded broker starts with it)
      platform.putTrigger(spec);
      bootstrap = triggers.bootstrapServers();
      assertThat(Files.exists(state.resolve("kafka").resolve("server.properties"))).isTrue();
      produce(bootstrap, 0, 150);
      readResults(bootstrap, results, versions, 50);
      // the alias moves to version 2 while records flow, and back
      alias =
          platform.putAlias(new AliasUpdate("e2e", "live", AliasTarget.of(2), alias.revision()));
      produce(bootstrap, 150, 300);
      readResults(bootstrap, results, versions, 250);
      platform.putAlias(new AliasUpdate("e2e", "live", AliasTarget.of(1), alias.revision()));
      readResults(bootstrap, results, versions, 300);

      // Then
      assertThat(results).hasSize(300).allSatisfy((v, n) -> assertThat(n).isOne());
      // both versions served records, and each answer names the version that gave it
      assertThat(versions.values()).contains("one/1", "two/2").containsOnly("one/1", "two/2");
      TriggerStatus status = platform.metrics("e2e").triggers().get(0);
      assertThat(status.trigger()).isEqualTo("submissions");
      assertThat(status.state()).isEqualTo("RUNNING");
      String metrics = Fixtures.http(server, "GET", "/metrics", null).body();
      assertThat(metrics).contains("fc_trigger_delivered_total{function=\"e2e\"");
      assertThat(readAll(bootstrap, "e2e-dlq")).isEmpty();
    }

    // And: a restarted runtime restores the trigger and goes on from the committed offsets
    try (RuntimeServer server = RuntimeServer.start(options)) {
      String again = triggers.bootstrapServers();
      produce(again, 300, 350);
      readResults(again, results, versions, 350);
      assertThat(results).hasSize(350).allSatisfy((v, n) -> assertThat(n).isOne());
      assertThat(server.client().metrics("e2e").triggers().get(0).state()).isEqualTo("RUNNING");
    }
  }

  @Test
  void instancesKilledAtRandomWhileRecordsFlow_loseNothing() throws Exception {
    int records = Integer.getInteger("fc.e2e.records", 2000);
    KafkaTriggersOf triggers = new KafkaTriggersOf();
    RuntimeOptions options = triggers.install(RuntimeOptions.forTest(dir.resolve("state")));
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "e2e", Fixtures.HELLO, 8, 3, Duration.ofMinutes(5), Map.of("GREETING", "one"))));
      platform.putAlias(new AliasUpdate("e2e", "live", AliasTarget.of(1), 0L));
      platform.putTrigger(
          TriggerSpec.builder("submissions", "e2e", "live", "e2e-in")
              .ordering(Ordering.NONE)
              .maxInFlight(24)
              .deadLetterTopic("e2e-dlq")
              .onSuccessTopic("e2e-out")
              .retry(
                  new io.fctoolkit.core.RetryPolicy(
                      10, Duration.ofMillis(100), Duration.ofSeconds(2)))
              .build());
      String bootstrap = triggers.bootstrapServers();

      // When: instances are killed with SIGKILL at random while the records flow
      produce(bootstrap, 0, records);
      java.util.Random random = new java.util.Random();
      int killed = 0;
      // Kill for 8 s, and on until at least one instance was killed (instances may start late
      // on a loaded machine), at most 120 s.
      long start = System.nanoTime();
      while (System.nanoTime() - start < Duration.ofSeconds(8).toNanos()
          || (killed == 0 && System.nanoTime() - start < Duration.ofSeconds(120).toNanos())) {
        List<ProcessHandle> instances =
            ProcessHandle.current()
                .descendants()
                .filter(
                    p ->
                        p.info()
                            .commandLine()
                            .map(c -> c.contains("io.fctoolkit.host.FcHost"))
                            .orElse(false))
                .toList();
        if (!instances.isEmpty()) {
          instances.get(random.nextInt(instances.size())).destroyForcibly();
          killed++;
        }
        Thread.sleep(400 + random.nextInt(400));
      }
      Map<String, Integer> results = new HashMap<>();
      readResults(bootstrap, results, new HashMap<>(), records);

      // Then
      System.err.printf("instance kills: %d killed, %d results%n", killed, results.size());
      assertThat(killed).isPositive();
      assertThat(results).hasSize(records);
      assertThat(readAll(bootstrap, "e2e-dlq")).isEmpty();
    }
  }

  private static void produce(String bootstrap, int from, int to) {
    KafkaTestClients.produce(
        bootstrap, "e2e-in", from, to, i -> "student-" + (i % 20), i -> "v" + i);
  }

  /**
   * Reads e2e-out from the start until {@code distinct} results are there, then a second more so
   * that duplicates would show. Fails, with diagnostics, only when no new result arrived for the
   * stall period of {@link ProgressWait}: a loaded machine is slow, not wrong.
   */
  private static void readResults(
      String bootstrap, Map<String, Integer> results, Map<String, String> versions, int distinct) {
    results.clear();
    int[] read = {0};
    try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrap)) {
      consumer.subscribe(List.of("e2e-out"));
      Runnable poll =
          () -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
              // "one v7" and "two v7": the same record, served by version 1 or 2.
              int space = r.value().indexOf(' ');
              String source = r.value().substring(space + 1);
              results.merge(source, 1, Integer::sum);
              versions.put(
                  source,
                  r.value().substring(0, space) + "/" + KafkaTestClients.header(r, "fc-version"));
              read[0]++;
            }
          };
      boolean reached =
          ProgressWait.until(
              "e2e: " + distinct + " results",
              () -> results.size() >= distinct,
              () -> read[0],
              poll,
              () ->
                  FaultDiagnostics.describe(
                      bootstrap,
                      "e2e-in",
                      TriggerSpec.defaultGroup("e2e", "submissions"),
                      "e2e-out",
                      "e2e-dlq",
                      FaultDiagnostics.missing("v", distinct, results)));
      assertThat(reached)
          .as("results kept coming (%d distinct of %d)", results.size(), distinct)
          .isTrue();
      long quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < quietUntil) {
        poll.run();
      }
    }
    assertThat(results.size()).as("distinct results").isGreaterThanOrEqualTo(distinct);
  }

  private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrap)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }
}
