package io.fctoolkit.runtime.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producing and reading test records against the real broker. */
public final class KafkaTestClients {
  private KafkaTestClients() {}

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // A partition that cannot be written fails its records within 45 s rather than 120 s.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "45000");
    return new KafkaProducer<>(p);
  }

  /**
   * Sends records key(i) -> value(i) for i in [from, to) and waits until the broker has
   * acknowledged every one. A fault test must never mistake input that was never written for
   * records the trigger lost: records whose send failed are sent once more with a new producer
   * (printing why, with the topic's partition leaders), after which the topic must hold each of
   * them exactly once; a record that still cannot be written fails the test here, naming it.
   */
  public static void produce(
      String bootstrap,
      String topic,
      int from,
      int to,
      java.util.function.IntFunction<String> key,
      java.util.function.IntFunction<String> value) {
    List<Integer> all = java.util.stream.IntStream.range(from, to).boxed().toList();
    Map<Integer, Throwable> failed = send(bootstrap, topic, all, key, value);
    if (failed.isEmpty()) {
      return;
    }
    Throwable first = failed.values().iterator().next();
    System.err.printf(
        "test input: %d of %d records to %s not acknowledged (%s); partitions: %s; sending them"
            + " again%n",
        failed.size(), all.size(), topic, first, describe(bootstrap, topic));
    Map<Integer, Throwable> again =
        send(bootstrap, topic, List.copyOf(failed.keySet()), key, value);
    if (!again.isEmpty()) {
      Map.Entry<Integer, Throwable> e = again.entrySet().iterator().next();
      throw new AssertionError(
          "test input " + topic + " record " + e.getKey() + " was not written, twice",
          e.getValue());
    }
    // A send that timed out may still have reached the log: the input must hold each record once.
    Map<String, Long> counts = countValues(readAll(bootstrap, topic, Duration.ofSeconds(2)));
    for (int i : all) {
      long n = counts.getOrDefault(value.apply(i), 0L);
      if (n != 1) {
        throw new AssertionError(
            "test input " + topic + " holds record " + i + " " + n + " times after a re-send");
      }
    }
  }

  /** Sends the records {@code indices}; returns those whose send failed, with the reason. */
  private static Map<Integer, Throwable> send(
      String bootstrap,
      String topic,
      List<Integer> indices,
      java.util.function.IntFunction<String> key,
      java.util.function.IntFunction<String> value) {
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
        new ArrayList<>();
    Map<Integer, Throwable> failed = new java.util.LinkedHashMap<>();
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      for (int i : indices) {
        sent.add(producer.send(new ProducerRecord<>(topic, key.apply(i), value.apply(i))));
      }
      producer.flush();
      for (int n = 0; n < sent.size(); n++) {
        try {
          sent.get(n).get();
        } catch (java.util.concurrent.ExecutionException e) {
          failed.put(indices.get(n), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while producing test input to " + topic, e);
        }
      }
    }
    return failed;
  }

  /** Each partition of {@code topic} with its leader and in-sync replicas, for diagnostics. */
  private static String describe(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(p)) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(10, java.util.concurrent.TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .toString();
    } catch (Exception e) {
      return "(cannot describe: " + e + ")";
    }
  }

  /** Reads a topic from the start (read_committed) until {@code done} holds or the timeout. */
  static List<ConsumerRecord<String, String>> readUntil(
      String bootstrap,
      String topic,
      Duration timeout,
      Predicate<List<ConsumerRecord<String, String>>> done) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(all)) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  /** Reads whatever a topic holds now, waiting {@code quiet} without new records to stop. */
  static List<ConsumerRecord<String, String>> readAll(
      String bootstrap, String topic, Duration quiet) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      consumer.subscribe(List.of(topic));
      long lastNew = System.nanoTime();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() - lastNew < quiet.toNanos() && System.nanoTime() < deadline) {
        int before = all.size();
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
        if (all.size() > before || consumer.assignment().isEmpty()) {
          lastNew = System.nanoTime();
        }
      }
    }
    return all;
  }

  /** A consumer of committed records only, from the start, in a group of its own. */
  public static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  /** The last value of header {@code name} as UTF-8, or null. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Waits until the condition holds; false on timeout. */
  static boolean await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  static Map<String, Long> countValues(List<ConsumerRecord<String, String>> records) {
    Map<String, Long> counts = new java.util.HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      counts.merge(r.value(), 1L, Long::sum);
    }
    return counts;
  }
}
