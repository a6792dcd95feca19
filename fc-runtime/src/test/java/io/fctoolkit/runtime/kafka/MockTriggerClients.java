package io.fctoolkit.runtime.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@link TriggerClients} seam on Kafka's own mocks: each session gets a new {@link
 * MockConsumer} and a transactional {@link MockProducer}; offsets committed in a transaction (or by
 * the consumer) land in one map that the next consumer reads back, as a group coordinator would.
 * Records are added through {@link #produce}, which the consumer thread picks up on its next poll.
 */
final class MockTriggerClients implements TriggerClients {

  final String topic;
  final int partitions;
  final Map<TopicPartition, OffsetAndMetadata> committed = new ConcurrentHashMap<>();
  final List<ProducerRecord<byte[], byte[]>> written = new CopyOnWriteArrayList<>();
  final List<Session> sessions = new CopyOnWriteArrayList<>();
  final Set<String> topics = ConcurrentHashMap.newKeySet();
  final AtomicInteger aborted = new AtomicInteger();
  volatile int maxRequestSize = TriggerClientProperties.DEFAULT_MAX_REQUEST_SIZE;
  volatile Map<String, Integer> maxMessageBytes = Map.of();

  /** A record the "broker" refuses after it was sent (as a topic's max.message.bytes would). */
  volatile Predicate<ProducerRecord<byte[], byte[]>> brokerRefuses = r -> false;

  /** Thrown by the admin, or by the next producer's initTransactions, when set. */
  volatile RuntimeException adminFailure;

  volatile RuntimeException initFailure;

  /** One session's clients. */
  record Session(Consumer<byte[], byte[]> consumer, MockProducer<byte[], byte[]> producer) {}

  MockTriggerClients(String topic, int partitions, String... outputs) {
    this.topic = topic;
    this.partitions = partitions;
    topics.add(topic);
    topics.addAll(List.of(outputs));
  }

  @Override
  public Consumer<byte[], byte[]> consumer() {
    MockConsumer<byte[], byte[]> c =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized Map<TopicPartition, OffsetAndMetadata> committed(
              Set<TopicPartition> partitions, Duration timeout) {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            for (TopicPartition tp : partitions) {
              OffsetAndMetadata o = MockTriggerClients.this.committed.get(tp);
              if (o != null) {
                out.put(tp, o);
              }
            }
            return out;
          }

          @Override
          public synchronized void commitSync(
              Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            MockTriggerClients.this.committed.putAll(offsets);
          }
        };
    Map<TopicPartition, Long> begin = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      begin.put(new TopicPartition(topic, p), 0L);
    }
    c.updateBeginningOffsets(begin);
    c.updateEndOffsets(begin);
    return register(c);
  }

  private Consumer<byte[], byte[]> register(MockConsumer<byte[], byte[]> c) {
    sessions.add(new Session(c, null));
    return c;
  }

  @Override
  public Producer<byte[], byte[]> producer() {
    MockProducer<byte[], byte[]> p =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (brokerRefuses.test(record)) {
              return CompletableFuture.failedFuture(
                  new RecordTooLargeException("the broker refused a record of this size"));
            }
            return super.send(record, callback);
          }

          @Override
          public void commitTransaction() {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = uncommittedOffsets();
            List<ProducerRecord<byte[], byte[]>> records = uncommittedRecords();
            super.commitTransaction();
            // Records first: tests wait for the offsets and then read the records.
            written.addAll(records);
            offsets.values().forEach(committed::putAll);
          }

          @Override
          public void abortTransaction() {
            aborted.incrementAndGet();
            super.abortTransaction();
          }
        };
    RuntimeException failure = initFailure;
    if (failure != null) {
      p.initTransactionException = failure;
    }
    Session last = sessions.get(sessions.size() - 1);
    sessions.set(sessions.size() - 1, new Session(last.consumer(), p));
    return p;
  }

  @Override
  public TriggerAdmin admin() {
    return new TriggerAdmin() {
      @Override
      public Set<String> topicNames() {
        failIfAsked();
        return new HashSet<>(topics);
      }

      @Override
      public void createTopics(List<NewTopic> newTopics) {
        failIfAsked();
        newTopics.forEach(t -> topics.add(t.name()));
      }

      @Override
      public Map<String, Integer> maxMessageBytes(Collection<String> names) {
        return maxMessageBytes;
      }

      @Override
      public void close() {}
    };
  }

  private void failIfAsked() {
    RuntimeException failure = adminFailure;
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public int maxRequestSize() {
    return maxRequestSize;
  }

  /** The consumer of the session running now. */
  MockConsumer<byte[], byte[]> current() {
    return (MockConsumer<byte[], byte[]>) sessions.get(sessions.size() - 1).consumer();
  }

  private final Map<Integer, Long> nextOffset = new ConcurrentHashMap<>();

  /**
   * Appends a record to a partition; the running consumer returns it from a coming poll (on its own
   * thread, as MockConsumer is not thread safe).
   */
  void produce(int partition, String key, byte[] value, RecordHeaders headers) {
    long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            topic,
            partition,
            offset,
            System.currentTimeMillis(),
            TimestampType.CREATE_TIME,
            key == null ? 0 : key.length(),
            value.length,
            key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            value,
            headers,
            java.util.Optional.empty());
    MockConsumer<byte[], byte[]> c = current();
    c.schedulePollTask(
        () -> {
          if (c.assignment().contains(new TopicPartition(topic, partition))) {
            c.addRecord(record);
            c.updateEndOffsets(Map.of(new TopicPartition(topic, partition), offset + 1));
          }
        });
  }

  void produce(int partition, String key, String value) {
    produce(
        partition,
        key,
        value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new RecordHeaders());
  }

  /** Assigns partitions to the running consumer, from its own thread, calling the listener. */
  void assign(Collection<TopicPartition> assignment) {
    MockConsumer<byte[], byte[]> c = current();
    c.schedulePollTask(() -> c.rebalance(assignment));
  }

  /** All partitions of the topic. */
  List<TopicPartition> all() {
    List<TopicPartition> out = new java.util.ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      out.add(new TopicPartition(topic, p));
    }
    return out;
  }

  /** The committed offset of a partition, or -1. */
  long committedOffset(int partition) {
    OffsetAndMetadata o = committed.get(new TopicPartition(topic, partition));
    return o == null ? -1 : o.offset();
  }

  /** Records written to {@code topic} in committed transactions. */
  List<ProducerRecord<byte[], byte[]>> written(String topic) {
    return written.stream().filter(r -> r.topic().equals(topic)).toList();
  }
}
