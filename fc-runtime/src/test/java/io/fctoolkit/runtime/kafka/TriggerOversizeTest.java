package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaBroker.unique;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.countValues;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.header;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.produce;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.readUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One record whose outcome cannot be written as it is must not stall a trigger. Before, a function
 * answering 1.1 MB, or a 1,048,400-byte record failing (its dead letter then larger than the
 * producer's 1 MB limit), aborted every transaction and restarted the session for ever: the record
 * was invoked about 200 times a second and later records on every partition stopped.
 */
class TriggerOversizeTest {

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String BIG_ANSWER = "answer-me-big";

  @Test
  void tooLargeResultAndDeadLetter_areDeadLetteredCut_andEveryGoodRecordIsDelivered()
      throws Exception {
    // Given: 300 good records on 3 partitions, with a record whose answer is 1.1 MB and a
    // 1,048,400-byte non-JSON record (which the function refuses) among them
    String topic = unique("oversize");
    KAFKA.kafka().createTopic(topic, 3);
    produce(KAFKA.bootstrapServers(), topic, 0, 150, i -> "k" + (i % 30), i -> "v" + i);
    String notJson = "<".repeat(1_048_400);
    try (KafkaProducer<String, String> big = largeProducer()) {
      big.send(new ProducerRecord<>(topic, "k1", BIG_ANSWER)).get(30, TimeUnit.SECONDS);
      big.send(new ProducerRecord<>(topic, "k2", notJson)).get(30, TimeUnit.SECONDS);
    }
    produce(KAFKA.bootstrapServers(), topic, 150, 300, i -> "k" + (i % 30), i -> "v" + i);
    FakeFunction function =
        new FakeFunction(
            1,
            r -> {
              String body = FakeFunction.text(r);
              if (body.equals(BIG_ANSWER)) {
                return new FakeFunction.Answer(200, "x".repeat(1_100_000), 0);
              }
              if (body.startsWith("<")) {
                return new FakeFunction.Answer(400, "not JSON", 0);
              }
              return new FakeFunction.Answer(200, body, 2);
            });
    try (function;
        TriggerEngine engine =
            new TriggerEngine(
                function,
                TriggerEngineConfig.builder(KAFKA.bootstrapServers())
                    .drainTimeout(Duration.ofSeconds(10))
                    .build())) {

      // When
      engine.put(
          TriggerSpec.builder("t", "fn", "live", topic)
              .maxInFlight(50)
              .deadLetterTopic(topic + "-dlq")
              .onSuccessTopic(topic + "-out")
              .partitions(3)
              .build());

      // Then: every good record has its result once
      List<ConsumerRecord<String, String>> results =
          readUntil(
              KAFKA.bootstrapServers(),
              topic + "-out",
              WAIT,
              r -> countValues(r).keySet().stream().filter(v -> v.startsWith("v")).count() == 300);
      Map<String, Long> counts = countValues(results);
      assertThat(counts.keySet().stream().filter(v -> v.startsWith("v")))
          .as("good results (dispatcher: %s)", engine.describe("fn", "t"))
          .hasSize(300);
      assertThat(counts).allSatisfy((v, n) -> assertThat(n).isOne());

      // and both bad records are in the dead-letter topic, cut, saying what and where
      List<ConsumerRecord<String, String>> dead =
          readUntil(KAFKA.bootstrapServers(), topic + "-dlq", WAIT, r -> r.size() >= 2);
      assertThat(dead).hasSize(2);
      ConsumerRecord<String, String> result =
          dead.stream().filter(r -> "result".equals(header(r, "fc-cut"))).findFirst().orElseThrow();
      assertThat(result.value()).isEqualTo(BIG_ANSWER);
      assertThat(header(result, "fc-original-size")).isEqualTo("1100000");
      assertThat(header(result, "fc-original-sha256")).hasSize(64);
      assertThat(header(result, "fc-error")).contains("result of", "larger than");
      assertThat(header(result, "fc-source-topic")).isEqualTo(topic);
      assertThat(header(result, "fc-source-offset")).matches("\\d+");
      ConsumerRecord<String, String> letter =
          dead.stream()
              .filter(r -> "dead-letter".equals(header(r, "fc-cut")))
              .findFirst()
              .orElseThrow();
      assertThat(letter.value()).hasSize(65_536).startsWith("<<<");
      assertThat(header(letter, "fc-original-size")).isEqualTo("1048400");
      assertThat(header(letter, "fc-error")).startsWith("HTTP 400: not JSON; dead letter of");

      // and no partition is stalled: each committed to its end
      assertThat(
              await(
                  WAIT,
                  () -> {
                    List<PartitionStatus> ps = engine.status("fn", "t").partitions();
                    return ps.size() == 3 && ps.stream().allMatch(p -> p.lag() == 0);
                  }))
          .as("stalled partitions: %s", engine.status("fn", "t"))
          .isTrue();
      assertThat(function.attemptsByBody.get(BIG_ANSWER).get())
          .as("the big answer's record was invoked once, not again and again")
          .isOne();
    }
  }

  private static KafkaProducer<String, String> largeProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * 1024 * 1024));
    return new KafkaProducer<>(p);
  }
}
