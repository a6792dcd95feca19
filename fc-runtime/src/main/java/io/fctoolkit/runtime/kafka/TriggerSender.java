package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces test records to a trigger's topic and waits for what became of each ({@code fc:send}):
 * its result on the trigger's onSuccess topic, its dead letter, or, when neither is written, the
 * trigger's committed offset passing it.
 *
 * <p>Outcomes are matched to records by where the record was written, never by content: the
 * runtime's results and dead letters carry {@code fc-source-topic}, {@code fc-source-partition} and
 * {@code fc-source-offset} ({@code docs/kafka-triggers.md}); Knative's carry the CloudEvent id its
 * KafkaSource gave the record ({@code ce_id: partition:<p>/offset:<o>}). The output topics are read
 * from their ends as they were before the first record was sent, {@code read_committed}, because
 * the runtime writes outcomes and commits offsets in one transaction.
 */
public final class TriggerSender {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final long COMMIT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final String bootstrapServers;
  private final TriggerSpec trigger;
  private final Consumer<FcEvent> events;

  /**
   * @param bootstrapServers the cluster the trigger reads from
   * @param trigger the trigger: its topic, onSuccess and dead-letter topics and consumer group
   * @param events where progress goes
   */
  public TriggerSender(String bootstrapServers, TriggerSpec trigger, Consumer<FcEvent> events) {
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    this.trigger = requireNonNull(trigger, "trigger");
    this.events = requireNonNull(events, "events");
  }

  /**
   * Sends the records in order, then waits up to {@code timeout} for their outcomes.
   *
   * @param onOutcome called once per record as its outcome is known (timed-out ones last)
   * @return every record's outcome, in the order of {@code records}
   * @throws FcException when the cluster does not take the records
   */
  public List<SendOutcome> send(
      List<SendRecord> records, Duration timeout, Consumer<SendOutcome> onOutcome)
      throws InterruptedException {
    List<String> outputs = new ArrayList<>();
    if (trigger.onSuccessTopic() != null) {
      outputs.add(trigger.onSuccessTopic());
    }
    if (trigger.deadLetterTopic() != null && !outputs.contains(trigger.deadLetterTopic())) {
      outputs.add(trigger.deadLetterTopic());
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
        Admin admin = Admin.create(adminProperties())) {
      List<TopicPartition> watched = new ArrayList<>();
      for (String topic : outputs) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
          events.accept(
              FcEvent.warn(
                  "Topic " + topic + " does not exist (yet): outcomes written there are not seen"));
          continue;
        }
        partitions.forEach(p -> watched.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(watched);
      consumer.seekToEnd(watched);
      watched.forEach(consumer::position); // fixes the starting point before anything is sent
      Map<Long, Integer> pending = new LinkedHashMap<>(); // (partition, offset) -> record index
      List<RecordMetadata> written = new ArrayList<>();
      for (SendRecord record : records) {
        RecordMetadata metadata = produce(producer, record);
        written.add(metadata);
        pending.put(position(metadata.partition(), metadata.offset()), written.size() - 1);
        events.accept(
            FcEvent.lifecycle(
                "Sent "
                    + record.origin()
                    + " to "
                    + trigger.topic()
                    + " partition "
                    + metadata.partition()
                    + " offset "
                    + metadata.offset()
                    + (record.key() == null ? "" : " (key " + record.key() + ")")));
      }
      SendOutcome[] outcomes = new SendOutcome[records.size()];
      long deadline = System.nanoTime() + timeout.toNanos();
      long nextCommitCheck = System.nanoTime();
      // Records the trigger committed past, with the output ends to read up to before deciding
      // that no outcome was written for them (outcome and commit share one transaction).
      Map<Long, Map<TopicPartition, Long>> committed = new HashMap<>();
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        if (!watched.isEmpty()) {
          for (ConsumerRecord<byte[], byte[]> out : consumer.poll(POLL)) {
            Map<String, String> headers = headers(out);
            Long at = source(headers);
            Integer index = at == null ? null : pending.remove(at);
            if (index != null) {
              SendOutcome outcome =
                  new SendOutcome(
                      records.get(index),
                      written.get(index).partition(),
                      written.get(index).offset(),
                      isDeadLetter(out.topic(), headers)
                          ? SendOutcome.Kind.DEAD_LETTER
                          : SendOutcome.Kind.RESULT,
                      out.topic(),
                      out.value() == null ? new byte[0] : out.value(),
                      headers);
              outcomes[index] = outcome;
              committed.remove(at);
              onOutcome.accept(outcome);
            }
          }
        } else {
          Thread.sleep(POLL.toMillis());
        }
        if (System.nanoTime() >= nextCommitCheck) {
          nextCommitCheck = System.nanoTime() + COMMIT_CHECK_NANOS;
          checkCommitted(admin, consumer, watched, pending, committed);
        }
        for (Map.Entry<Long, Map<TopicPartition, Long>> done : List.copyOf(committed.entrySet())) {
          if (readUpTo(consumer, done.getValue())) {
            Integer index = pending.remove(done.getKey());
            committed.remove(done.getKey());
            if (index != null) {
              SendOutcome outcome =
                  new SendOutcome(
                      records.get(index),
                      written.get(index).partition(),
                      written.get(index).offset(),
                      SendOutcome.Kind.DELIVERED,
                      null,
                      new byte[0],
                      Map.of());
              outcomes[index] = outcome;
              onOutcome.accept(outcome);
            }
          }
        }
      }
      for (Integer index : pending.values()) {
        SendOutcome outcome =
            new SendOutcome(
                records.get(index),
                written.get(index).partition(),
                written.get(index).offset(),
                SendOutcome.Kind.TIMED_OUT,
                null,
                new byte[0],
                Map.of());
        outcomes[index] = outcome;
        onOutcome.accept(outcome);
      }
      return List.of(outcomes);
    } catch (KafkaException e) {
      throw new FcException(
          "Kafka at " + bootstrapServers + " failed: " + e.getMessage(),
          "check that the cluster answers and that topic " + trigger.topic() + " exists",
          e);
    }
  }

  private RecordMetadata produce(KafkaProducer<byte[], byte[]> producer, SendRecord record)
      throws InterruptedException {
    ProducerRecord<byte[], byte[]> out =
        new ProducerRecord<>(
            trigger.topic(),
            record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
            record.value());
    record
        .headers()
        .forEach(h -> out.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)));
    try {
      return producer.send(out).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new FcException(
          "Kafka at "
              + bootstrapServers
              + " did not take "
              + record.origin()
              + " for topic "
              + trigger.topic()
              + ": "
              + cause,
          "check that the cluster answers and that the topic exists (the trigger creates it on"
              + " the local runtime's embedded broker)",
          cause);
    }
  }

  /**
   * Asks the trigger's consumer group how far it committed; a pending record it passed is done,
   * once the output topics are read up to where they end now.
   */
  private void checkCommitted(
      Admin admin,
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> watched,
      Map<Long, Integer> pending,
      Map<Long, Map<TopicPartition, Long>> committed)
      throws InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets =
          admin
              .listConsumerGroupOffsets(trigger.consumerGroup())
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return; // only a shortcut: results and dead letters are still read, until the timeout
    }
    Map<TopicPartition, Long> ends = null;
    for (Long at : pending.keySet()) {
      if (committed.containsKey(at)) {
        continue;
      }
      OffsetAndMetadata offset =
          offsets.get(new TopicPartition(trigger.topic(), (int) (at >>> 40)));
      if (offset != null && offset.offset() > (at & ((1L << 40) - 1))) {
        if (ends == null) {
          ends = watched.isEmpty() ? Map.of() : consumer.endOffsets(watched);
        }
        committed.put(at, ends);
      }
    }
  }

  private static boolean readUpTo(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the record an outcome is about was, as (partition, offset), if it is a record of the
   * trigger's topic; null otherwise.
   */
  Long source(Map<String, String> headers) {
    String topic = headers.get("fc-source-topic");
    if (topic != null) {
      if (!topic.equals(trigger.topic())) {
        return null;
      }
      try {
        return position(
            Integer.parseInt(headers.get("fc-source-partition")),
            Long.parseLong(headers.get("fc-source-offset")));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return knativeSource(headers.get("ce_id"), headers.get("ce_source"));
  }

  private static final java.util.regex.Pattern KNATIVE_ID =
      java.util.regex.Pattern.compile("partition:(\\d+)/offset:(\\d+)(?:/result@(.+))?");

  /**
   * On Knative: a dead letter is the KafkaSource's event itself ({@code ce_id
   * partition:<p>/offset:<o>}, {@code ce_source} ending in {@code #<topic>}); a result is fc-host's
   * reply, whose id is {@code <event id>/result@<event source>} (docs/knative.md, 2.1).
   */
  private Long knativeSource(String id, String source) {
    if (id == null) {
      return null;
    }
    java.util.regex.Matcher m = KNATIVE_ID.matcher(id);
    if (!m.matches()) {
      return null;
    }
    String origin = m.group(3) != null ? m.group(3) : source;
    if (origin == null || !origin.endsWith("#" + trigger.topic())) {
      return null;
    }
    return position(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
  }

  /** One key for (partition, offset): partitions below 2^23, offsets below 2^40. */
  static long position(int partition, long offset) {
    return ((long) partition << 40) | offset;
  }

  private boolean isDeadLetter(String topic, Map<String, String> headers) {
    if (!topic.equals(trigger.onSuccessTopic())) {
      return true;
    }
    // Only when both topics are the same one: a dead letter says why.
    return headers.containsKey("fc-error") || headers.containsKey("ce_knativeerrorcode");
  }

  static Map<String, String> headers(ConsumerRecord<?, ?> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      if (h.value() != null) {
        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return headers;
  }

  private Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fc-send-reader");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // The runtime writes results and dead letters in transactions; aborted ones must not count.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private Properties producerProperties() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "fc-send");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private Properties adminProperties() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fc-send-admin");
    return p;
  }
}
