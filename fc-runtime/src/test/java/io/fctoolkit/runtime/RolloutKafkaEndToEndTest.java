package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.State;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.kafka.FaultDiagnostics;
import io.fctoolkit.runtime.kafka.KafkaTestClients;
import io.fctoolkit.runtime.kafka.ProgressWait;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout of a Kafka-triggered function on the real embedded broker: the canary dead-letters
 * records (it refuses a fifth of them with a permanent 400), the rollout's dead-letter check rolls
 * it back while records flow, and every record produced ends as a result or a dead letter: none is
 * lost.
 */
class RolloutKafkaEndToEndTest {

  @TempDir Path dir;

  @Test
  void canaryDeadLettering_isRolledBack_andNoRecordIsLost() throws Exception {
    KafkaTriggersOf triggers = new KafkaTriggersOf();
    RuntimeOptions options = triggers.install(RuntimeOptions.forTest(dir.resolve("state")));
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "kro", Fixtures.HELLO, 8, 2, Duration.ofMinutes(5), Map.of("GREETING", "one"))));
      platform.publish(
          Fixtures.publish(
              Fixtures.config(
                  "kro",
                  RolloutEndToEndTest.FLAKY,
                  8,
                  2,
                  Duration.ofMinutes(5),
                  Map.of("GREETING", "two", "FAIL_PERCENT", "20", "FAIL_STATUS", "400"))));
      Alias alias = platform.putAlias(new AliasUpdate("kro", "live", AliasTarget.of(1), 0L));
      platform.putTrigger(
          TriggerSpec.builder("submissions", "kro", "live", "kro-in")
              .ordering(Ordering.KEY)
              .maxInFlight(16)
              .deadLetterTopic("kro-dlq")
              .onSuccessTopic("kro-out")
              .partitions(4)
              .retry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200)))
              .build());
      String bootstrap = triggers.bootstrapServers();
      produce(bootstrap, 0, 100);

      // When: the rollout starts while records keep coming, 20 every 100 ms
      RolloutStatus started =
          platform.startRollout(
              new RolloutRequest(
                  "kro",
                  "live",
                  2,
                  null,
                  new RolloutStrategy(
                      List.of(BigDecimal.valueOf(20), BigDecimal.valueOf(50)),
                      40,
                      Duration.ofSeconds(1),
                      Duration.ofSeconds(90),
                      RolloutStrategy.Inconclusive.ROLLBACK,
                      RolloutGates.DEFAULT),
                  alias.revision()));
      assertThat(started.state()).isEqualTo(State.PROGRESSING);
      int produced = 100;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!platform.rollout("kro", "live").orElseThrow().state().finished()
          && System.nanoTime() < deadline) {
        produce(bootstrap, produced, produced + 20);
        produced += 20;
        Thread.sleep(100);
      }
      // and records go on after the rollback
      produce(bootstrap, produced, produced + 100);
      produced += 100;
      RolloutStatus end = platform.rollout("kro", "live").orElseThrow();

      // Then
      Map<String, String> outcomes = readOutcomes(bootstrap, produced);
      long deadLetters = outcomes.values().stream().filter(v -> v.startsWith("dlq")).count();
      Decision last = end.history().get(end.history().size() - 1);
      System.err.printf(
          "rollout kafka: state=%s records=%d results=%d deadLetters=%d samples at decision=%d"
              + " seconds to decision=%.1f reason=%s%n",
          end.state(),
          produced,
          outcomes.size() - deadLetters,
          deadLetters,
          last.samples(),
          Duration.between(end.startedAt(), last.at()).toMillis() / 1000.0,
          end.reason());
      assertThat(end.state()).isEqualTo(State.ROLLED_BACK);
      assertThat(end.reason()).contains("deadLetterRate");
      assertThat(platform.describe("kro").orElseThrow().alias("live").orElseThrow().target())
          .isEqualTo(AliasTarget.of(1));
      // nothing lost: every record is a result or a dead letter, and only the canary dead-letters
      assertThat(outcomes).hasSize(produced);
      assertThat(deadLetters).isPositive();
      assertThat(outcomes.values()).allSatisfy(v -> assertThat(v).isIn("one", "two", "dlq/2"));
    }
  }

  private static void produce(String bootstrap, int from, int to) {
    KafkaTestClients.produce(
        bootstrap, "kro-in", from, to, i -> "student-" + (i % 40), i -> "v" + i);
  }

  /**
   * Reads results and dead letters until every one of {@code expected} records has an outcome:
   * record value -> "one"/"two" (the version's greeting) or "dlq/<failing version>".
   */
  private static Map<String, String> readOutcomes(String bootstrap, int expected) {
    Map<String, String> outcomes = new HashMap<>();
    int[] read = {0};
    try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrap)) {
      consumer.subscribe(List.of("kro-out", "kro-dlq"));
      Runnable poll =
          () -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
              read[0]++;
              if (r.topic().equals("kro-dlq")) {
                String version =
                    Objects.requireNonNullElse(KafkaTestClients.header(r, "fc-version"), "?");
                outcomes.put(r.value(), "dlq/" + version);
              } else {
                int space = r.value().indexOf(' ');
                outcomes.put(r.value().substring(space + 1), r.value().substring(0, space));
              }
            }
          };
      boolean reached =
          ProgressWait.until(
              "kro: " + expected + " outcomes",
              () -> outcomes.size() >= expected,
              () -> read[0],
              poll,
              () ->
                  FaultDiagnostics.describe(
                      bootstrap,
                      "kro-in",
                      TriggerSpec.defaultGroup("kro", "submissions"),
                      "kro-out",
                      "kro-dlq",
                      FaultDiagnostics.missing("v", expected, outcomes)));
      assertThat(reached).as("outcomes kept coming (%d of %d)", outcomes.size(), expected).isTrue();
    }
    return outcomes;
  }
}
