package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.kafka.FaultDiagnostics;
import io.fctoolkit.runtime.kafka.KafkaTestClients;
import io.fctoolkit.runtime.kafka.ProgressWait;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runtime process (RuntimeMain, triggers found by ServiceLoader, embedded broker in its
 * state folder) is killed with SIGKILL while a trigger delivers records to real fc-host instances,
 * then restarted on the same state: every record gets exactly one committed result.
 */
class TriggerKillNineTest {

  @TempDir Path dir;
  private RuntimeChild runtimes;

  @AfterEach
  void killEverything() {
    if (runtimes != null) {
      runtimes.close();
    }
  }

  @Test
  void runtimeKilledWhileRecordsFlow_restartDeliversEveryRecordOnce() throws Exception {
    int records = Integer.getInteger("fc.e2e.records", 3000);
    Path state = dir.resolve("state");
    runtimes = new RuntimeChild(dir);
    Process first = runtimes.startOnEmbeddedBroker(state);
    LocalPlatform platform = LocalPlatform.connect(state);
    platform.publish(
        Fixtures.publish(
            Fixtures.config(
                "graded", Fixtures.HELLO, 8, 2, Duration.ofMinutes(5), Map.of("GREETING", "ok"))));
    platform.putAlias(new AliasUpdate("graded", "live", AliasTarget.of(1), 0L));
    platform.putTrigger(
        TriggerSpec.builder("submissions", "graded", "live", "kill-in")
            .ordering(Ordering.KEY)
            .maxInFlight(32)
            .deadLetterTopic("kill-dlq")
            .onSuccessTopic("kill-out")
            .build());
    String bootstrap = bootstrap(state);
    produce(bootstrap, records);
    Map<String, Integer> results = new HashMap<>();
    try (KafkaConsumer<String, String> reader = KafkaTestClients.consumer(bootstrap)) {
      reader.subscribe(List.of("kill-out"));
      read(reader, results, records / 4, bootstrap, records);
    }
    assertThat(results.size()).isLessThan(records);

    // When
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain, no commit
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Process second = runtimes.startOnEmbeddedBroker(state);

    // Then
    String again = bootstrap(state);
    results.clear();
    try (KafkaConsumer<String, String> reader = KafkaTestClients.consumer(again)) {
      reader.subscribe(List.of("kill-out"));
      read(reader, results, records, again, records);
      long quiet = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < quiet) {
        reader.poll(Duration.ofMillis(200)).forEach(r -> results.merge(r.value(), 1, Integer::sum));
      }
    }
    long duplicates = results.values().stream().mapToInt(Integer::intValue).sum() - results.size();
    System.err.printf(
        "runtime kill -9: %d records, %d distinct results, %d duplicates%n",
        records, results.size(), duplicates);
    assertThat(results).hasSize(records);
    assertThat(duplicates).isLessThanOrEqualTo(records / 1000);
    second.destroy();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(
            Fixtures.await(
                Duration.ofSeconds(30), () -> second.toHandle().descendants().findAny().isEmpty()))
        .as("instances and broker stop with the runtime")
        .isTrue();
  }

  /** The embedded broker's address, from the port it keeps in the state folder. */
  private static String bootstrap(Path state) throws Exception {
    Path ports = state.resolve("kafka").resolve("ports.properties");
    // Generous: on a loaded machine the broker can take long to start; only a hang fails here.
    assertThat(Fixtures.await(Duration.ofSeconds(180), () -> Files.exists(ports)))
        .as("embedded broker ports in %s", ports)
        .isTrue();
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(ports)) {
      p.load(in);
    }
    return "127.0.0.1:" + p.getProperty("broker");
  }

  private static void produce(String bootstrap, int records) {
    KafkaTestClients.produce(
        bootstrap, "kill-in", 0, records, i -> "student-" + (i % 50), i -> "v" + i);
  }

  /**
   * Reads results until {@code distinct} are in; fails, with diagnostics, only when no new result
   * arrived for the stall period of {@link ProgressWait}, so a loaded machine is not a failure.
   */
  private void read(
      KafkaConsumer<String, String> reader,
      Map<String, Integer> results,
      int distinct,
      String bootstrap,
      int records) {
    int[] read = {0};
    boolean reached =
        ProgressWait.until(
            "runtime kill -9: " + distinct + " results",
            () -> results.size() >= distinct,
            () -> read[0],
            () ->
                reader
                    .poll(Duration.ofMillis(100))
                    .forEach(
                        r -> {
                          results.merge(r.value(), 1, Integer::sum);
                          read[0]++;
                        }),
            () ->
                FaultDiagnostics.describe(
                        bootstrap,
                        "kill-in",
                        TriggerSpec.defaultGroup("graded", "submissions"),
                        "kill-out",
                        "kill-dlq",
                        FaultDiagnostics.missing("v", records, results))
                    + FaultDiagnostics.tail(runtimes.stderrLog(), 40));
    assertThat(reached)
        .as("results kept coming (%d distinct of %d)", results.size(), distinct)
        .isTrue();
  }
}
