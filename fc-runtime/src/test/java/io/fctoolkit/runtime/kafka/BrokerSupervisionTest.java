package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.countValues;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.produce;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.readAll;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.readUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.TriggerHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's trigger host on its own embedded broker, which is killed with SIGKILL while records
 * flow: the host reports the broker down (problems, trigger state), the supervisor brings it back
 * on the same address, and the trigger goes on from its committed offsets. Asserted: every record
 * produced before and after the kill has exactly one result for a read_committed reader (results
 * and offsets are committed in one transaction, so exactly once is what the trigger promises).
 */
class BrokerSupervisionTest {

  private static final int BEFORE = 400;
  private static final int AFTER = 200;

  @TempDir Path dir;

  @Test
  void brokerKilled_triggersWaitForIt_thenCarryOnWithEveryRecordOnce() throws Exception {
    // Given: a trigger on the host's embedded broker, busy with records
    FakeFunction function = FakeFunction.echo(20);
    TriggerHost host =
        KafkaTriggerHost.factory(Map.of())
            .create(function, dir, e -> System.err.println(e.level() + " " + e.message()));
    try (function;
        host) {
      TriggerSpec spec =
          TriggerSpec.builder("t", "fn", "live", "in")
              .ordering(Ordering.NONE)
              .maxInFlight(8)
              .deadLetterTopic("in-dlq")
              .onSuccessTopic("out")
              .partitions(2)
              .retry(new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(2)))
              .build();
      host.put(spec);
      KafkaTriggerHost kafkaHost = (KafkaTriggerHost) host;
      EmbeddedKafka broker = kafkaHost.embeddedKafka().orElseThrow();
      String address = broker.bootstrapServers();
      produce(address, "in", 0, BEFORE, i -> "k" + i, i -> "v" + i);
      assertThat(readUntil(address, "out", Duration.ofSeconds(180), r -> r.size() >= 50))
          .hasSizeGreaterThanOrEqualTo(50);
      assertThat(host.status("fn", "t").orElseThrow().state()).isEqualTo("RUNNING");
      assertThat(host.problems()).isEmpty();

      // When: kill -9 of the broker while records are in flight
      long killedAt = System.nanoTime();
      ProcessHandle.of(broker.pid().orElseThrow()).orElseThrow().destroyForcibly();

      // Then: the host says the broker is down, for health and for the trigger's status
      assertThat(await(Duration.ofSeconds(10), () -> !host.problems().isEmpty()))
          .as("broker reported down")
          .isTrue();
      assertThat(host.problems().get(0)).contains("exited with code 137").contains(address);
      TriggerStatus down = host.status("fn", "t").orElseThrow();
      assertThat(down.state()).isEqualTo(KafkaTriggerHost.WAITING_FOR_BROKER);
      assertThat(down.lastError()).contains("exited with code 137");
      StringBuilder metrics = new StringBuilder();
      host.renderMetrics(metrics);
      assertThat(metrics.toString()).contains("fc_embedded_kafka_up 0");

      // And: the broker comes back on the same address and the trigger runs again
      assertThat(await(Duration.ofSeconds(240), () -> host.problems().isEmpty()))
          .as("broker back: %s", host.problems())
          .isTrue();
      long brokerBack = System.nanoTime();
      assertThat(broker.bootstrapServers()).isEqualTo(address);
      produce(address, "in", BEFORE, BEFORE + AFTER, i -> "k" + i, i -> "v" + i);
      assertThat(
              readUntil(
                      address,
                      "out",
                      Duration.ofSeconds(300),
                      r -> countValues(r).size() >= BEFORE + AFTER)
                  .size())
          .isGreaterThanOrEqualTo(BEFORE + AFTER);
      long allDelivered = System.nanoTime();
      assertThat(host.status("fn", "t").orElseThrow().state()).isEqualTo("RUNNING");
      System.err.printf(
          "broker supervision: broker back %d ms after kill -9; all %d results %d ms after it%n",
          (brokerBack - killedAt) / 1_000_000,
          BEFORE + AFTER,
          (allDelivered - killedAt) / 1_000_000);

      // every record, before and after the kill, has exactly one committed result
      Map<String, Long> results = countValues(readAll(address, "out", Duration.ofSeconds(5)));
      assertThat(results).hasSize(BEFORE + AFTER).allSatisfy((v, n) -> assertThat(n).isOne());
      for (int i = 0; i < BEFORE + AFTER; i++) {
        assertThat(results).containsKey("v" + i);
      }
      assertThat(readAll(address, "in-dlq", Duration.ofSeconds(2))).isEmpty();
      metrics = new StringBuilder();
      host.renderMetrics(metrics);
      assertThat(metrics.toString())
          .contains("fc_embedded_kafka_up 1")
          .contains("fc_embedded_kafka_restarts_total 1");
    }
  }
}
