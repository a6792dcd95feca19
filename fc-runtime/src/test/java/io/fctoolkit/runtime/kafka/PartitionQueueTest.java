package io.fctoolkit.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.kafka.internal.CloudEventMapper;
import io.fctoolkit.runtime.kafka.internal.PartitionOffsets;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which records of one partition may start, under each ordering. */
class PartitionQueueTest {

  private static final TriggerSpec SPEC =
      TriggerSpec.builder("t", "fn", "live", "in").deadLetterTopic("dlq").build();
  private static final CloudEventMapper MAPPER = new CloudEventMapper(SPEC, "default");

  private static Delivery delivery(PartitionQueue q, long offset, String key) {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            "in",
            0,
            offset,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            ("v" + offset).getBytes(StandardCharsets.UTF_8));
    return new Delivery(r, q, MAPPER.toRequest(r), SPEC);
  }

  private static PartitionQueue queue(Ordering ordering) {
    return new PartitionQueue(
        new Object(), new TopicPartition("in", 0), new PartitionOffsets(0, null), ordering);
  }

  @Test
  void key_startsOneRecordPerKey_andTheNextOfThatKeyWhenItFinishes() {
    PartitionQueue q = queue(Ordering.KEY);
    Delivery a0 = delivery(q, 0, "a");
    Delivery b1 = delivery(q, 1, "b");
    Delivery a2 = delivery(q, 2, "a");
    Delivery a3 = delivery(q, 3, "a");
    for (Delivery d : new Delivery[] {a0, b1, a2, a3}) {
      q.enqueue(d);
    }

    assertThat(q.nextReady()).isSameAs(a0);
    assertThat(q.nextReady()).isSameAs(b1);
    assertThat(q.nextReady()).as("a2 waits for a0").isNull();
    q.release(a0);
    assertThat(q.nextReady()).isSameAs(a2);
    assertThat(q.nextReady()).isNull();
    q.release(a2);
    assertThat(q.nextReady()).isSameAs(a3);
    q.release(a3);
    q.release(b1);
    Delivery a4 = delivery(q, 4, "a");
    q.enqueue(a4);
    assertThat(q.nextReady()).as("a is free again").isSameAs(a4);
    assertThat(q.waiting).isZero();
  }

  @Test
  void partition_startsOneRecordAtATime() {
    PartitionQueue q = queue(Ordering.PARTITION);
    Delivery d0 = delivery(q, 0, "a");
    Delivery d1 = delivery(q, 1, "b");
    q.enqueue(d0);
    q.enqueue(d1);

    assertThat(q.nextReady()).isSameAs(d0);
    q.inFlight++;
    assertThat(q.nextReady()).isNull();
    q.inFlight--;
    q.release(d0);
    assertThat(q.nextReady()).isSameAs(d1);
  }

  @Test
  void none_startsEverythingInOffsetOrder() {
    PartitionQueue q = queue(Ordering.NONE);
    Delivery d0 = delivery(q, 0, "a");
    Delivery d1 = delivery(q, 1, "a");
    q.enqueue(d0);
    q.enqueue(d1);
    assertThat(q.nextReady()).isSameAs(d0);
    assertThat(q.nextReady()).isSameAs(d1);
    assertThat(q.clearWaiting()).isZero();
  }

  @Test
  void oldestPendingTimestamp_isTheFirstRecordReadFromTheCommittedOffsetOn() {
    // Given: records 10, 11 and 12 read (12 without a timestamp), nothing committed past 10
    PartitionQueue q = queue(Ordering.NONE);
    q.committed = 10;
    assertThat(q.oldestPendingTimestamp()).isNull();
    q.read(10, 1_000);
    q.read(11, 2_000);
    q.read(12, -1);

    // Then: the record at the committed offset is the oldest pending one, until committed past
    assertThat(q.oldestPendingTimestamp()).isEqualTo(1_000L);
    q.committed = 11;
    assertThat(q.oldestPendingTimestamp()).isEqualTo(2_000L);
    q.committed = 13;
    assertThat(q.oldestPendingTimestamp()).isNull();
  }
}
