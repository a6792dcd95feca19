package io.fctoolkit.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.runtime.kafka.internal.BrokerPidFile;
import io.fctoolkit.runtime.kafka.internal.ProcessCommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
          BrokerPidFile.read(dir.resolve("data").resolve("broker.pid")).orElseThrow().pid();
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

  @Test
  void brokerKilledWithSigkill_isRestartedOnTheSamePort_degradedMeanwhile_andKeepsItsData()
      throws Exception {
    // Given: a broker, a record, and a client bootstrapped on its address; and a pid file naming a
    // live process that carries the marker it records but is no broker of this directory
    Process foreign = foreignProcess("-Dfc.kafka.owner=m1");
    new BrokerPidFile(
            foreign.pid(), foreign.toHandle().info().startInstant().orElseThrow(), 1, 2, "m1")
        .write(dir.resolve("broker.pid"));
    List<FcEvent> events = new CopyOnWriteArrayList<>();
    EmbeddedKafka kafka =
        EmbeddedKafka.builder(dir)
            .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
            .events(events::add)
            .build();
    try (AutoCloseable stopForeign = foreign::destroyForcibly) {
      kafka.start();
      assertThat(foreign.isAlive()).as("a process not provably ours is never killed").isTrue();
      String address = kafka.bootstrapServers();
      kafka.createTopic("t", 1);
      try (KafkaProducer<String, String> producer = producer(address)) {
        producer.send(new ProducerRecord<>("t", "k", "before")).get(30, TimeUnit.SECONDS);
        long pid = kafka.pid().orElseThrow();

        // When: kill -9 of the broker process, from outside
        long killed = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        // Then: it is reported down, then back on the same address with its data
        assertThat(await(Duration.ofSeconds(10), () -> kafka.problem().isPresent()))
            .as("reported down")
            .isTrue();
        assertThat(kafka.problem().orElseThrow())
            .contains("exited with code 137")
            .contains(address);
        assertThat(
                await(
                    Duration.ofSeconds(180),
                    () -> kafka.problem().isEmpty() && kafka.restarts() == 1))
            .as("back up: %s", kafka.problem())
            .isTrue();
        System.err.printf(
            "broker restart: up again %d ms after kill -9%n",
            Duration.ofNanos(System.nanoTime() - killed).toMillis());
        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        assertThat(kafka.pid().orElseThrow()).isNotEqualTo(pid);
        assertThat(BrokerPidFile.read(dir.resolve("broker.pid")).orElseThrow().pid())
            .isEqualTo(kafka.pid().orElseThrow());
        // the client bootstrapped before the kill carries on
        producer.send(new ProducerRecord<>("t", "k", "after")).get(60, TimeUnit.SECONDS);
      }
      assertThat(readValues(address, "t", 2)).containsExactly("before", "after");
      assertThat(events)
          .anySatisfy(
              e ->
                  assertThat(e.message())
                      .contains("exited with code 137")
                      .contains("restarting it on the same port")
                      .contains("broker.log"));

      // And: a stop is not a crash
      kafka.stop();
      Thread.sleep(1500);
      assertThat(kafka.isRunning()).isFalse();
      assertThat(kafka.restarts()).isEqualTo(1);
      assertThat(kafka.problem()).isEmpty();
    } finally {
      kafka.kill();
    }
  }

  @Test
  void runtimeKilledWithSigkill_immediateRestart_takesTheSamePort_andOldClientsWork()
      throws Exception {
    // Given: a "runtime" JVM owning a broker, and clients bootstrapped on its address
    Path data = dir.resolve("data");
    Path log = dir.resolve("parent.log");
    Process parent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedKafkaMain.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    EmbeddedKafka again = EmbeddedKafka.builder(data).build();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline
          && !(Files.exists(log) && Files.readString(log).contains("ready"))) {
        assertThat(parent.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(100);
      }
      String line =
          Files.readString(log)
              .lines()
              .filter(l -> l.startsWith("ready "))
              .findFirst()
              .orElseThrow();
      String address = line.substring("ready ".length()).trim();
      long orphanPid = BrokerPidFile.read(data.resolve("broker.pid")).orElseThrow().pid();
      try (KafkaProducer<String, String> producer = producer(address)) {
        try (Admin admin = admin(address)) {
          admin
              .createTopics(List.of(new NewTopic("t", 1, (short) 1)))
              .all()
              .get(30, TimeUnit.SECONDS);
        }
        producer.send(new ProducerRecord<>("t", "k", "before")).get(30, TimeUnit.SECONDS);

        // When: the runtime dies without any shutdown hook and a new one starts at once
        parent.destroyForcibly();
        parent.waitFor();
        again.start();

        // Then: same address, the orphan is gone, one broker on this data, and the old client works
        assertThat(again.bootstrapServers()).isEqualTo(address);
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(brokerProcesses(data)).containsExactly(again.pid().orElseThrow());
        producer.send(new ProducerRecord<>("t", "k", "after")).get(60, TimeUnit.SECONDS);
      }
      assertThat(readValues(address, "t", 2)).containsExactly("before", "after");
    } finally {
      again.kill();
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  /**
   * Pids of live processes running a Kafka broker on {@code data}, read from their full command
   * line.
   */
  private static List<Long> brokerProcesses(Path data) {
    String config = data.toAbsolutePath().resolve("server.properties").toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                ProcessCommandLine.of(p)
                    .filter(args -> args.contains("kafka.Kafka") && args.contains(config))
                    .isPresent())
        .map(ProcessHandle::pid)
        .toList();
  }

  private Process foreignProcess(String arg) throws Exception {
    return new ProcessBuilder("sh", "-c", "sleep 300", "sh", arg).start();
  }

  private static boolean await(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  private static List<String> readValues(String address, String topic, int count) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(address)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }

  static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
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
