package io.fctoolkit.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @TempDir Path dir;

  @Test
  void start_restartOnSameDataDir_keepsRecordsAndAddress() throws Exception {
    // Given
    EmbeddedKafka kafka = EmbeddedKafka.builder(dir).build();
    try {
      kafka.start();
      String first = kafka.bootstrapServers();
      assertThat(first).startsWith("127.0.0.1:");
      assertThat(kafka.createTopic("t", 3)).isTrue();
      assertThat(kafka.createTopic("t", 3)).isFalse();
      try (KafkaProducer<String, String> producer = producer(first)) {
        producer.send(new ProducerRecord<>("t", "k", "v1")).get();
      }

      // When
      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      kafka.start();

      // Then
      assertThat(kafka.bootstrapServers()).isEqualTo(first);
      assertThat(Files.exists(dir.resolve("logs").resolve("meta.properties"))).isTrue();
      try (KafkaConsumer<String, String> consumer = consumer(first)) {
        consumer.subscribe(List.of("t"));
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen == 0 && System.nanoTime() < deadline) {
          ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
          seen += records.count();
          records.forEach(r -> assertThat(r.value()).isEqualTo("v1"));
        }
        assertThat(seen).isEqualTo(1);
      }
    } finally {
      kafka.kill();
    }
    assertThat(kafka.isRunning()).isFalse();
  }

  @Test
  void brokerOfAKilledRuntime_exitsOnItsOwn_andItsDataRestartsCleanly() throws Exception {
    // Given: a "runtime" JVM owning a broker
    Path log = dir.resolve("parent.log");
    Process parent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedKafkaMain.class.getName(),
                dir.resolve("data").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline
          && !(Files.exists(log) && Files.readString(log).contains("ready"))) {
        assertThat(parent.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(100);
      }
      long brokerPid =
          Long.parseLong(Files.readString(dir.resolve("data").resolve("broker.pid")).trim());
      ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();

      // When: the runtime dies without any shutdown hook
      parent.destroyForcibly();
      parent.waitFor();

      // Then: its broker notices and exits instead of holding the data directory
      assertThat(broker.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS).isAlive())
          .isFalse();
      // and a new owner starts cleanly on the same data
      EmbeddedKafka again = EmbeddedKafka.builder(dir.resolve("data")).build();
      try {
        again.start();
        assertThat(again.isRunning()).isTrue();
      } finally {
        again.kill();
      }
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.unique("g"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }
}
