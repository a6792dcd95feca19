package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.runtime.kafka.internal.PartitionOffsets;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What the consumer thread knows of one assigned partition: the records waiting to start, in the
 * order the trigger's {@link Ordering} allows, the records in flight, and the offsets done and
 * committed. Owned by the consumer thread, except {@link #revoked}.
 */
final class PartitionQueue {
  final Object owner;
  final TopicPartition tp;
  final PartitionOffsets offsets;
  private final Ordering ordering;
  // Records that may start now, in offset order.
  private final ArrayDeque<Delivery> ready = new ArrayDeque<>();
  // KEY ordering: records waiting behind an earlier record with the same key.
  private final Map<ByteBuffer, ArrayDeque<Delivery>> byKey = new HashMap<>();
  // Timestamps of the records read and not yet committed past (consumer thread only): the first
  // one is the oldest unprocessed record, because a partition is read in order from the committed
  // offset.
  private final ReadTimestamps timestamps = new ReadTimestamps();
  int waiting;
  int inFlight;
  long committed = -1;
  long requested = -1;
  String requestedMetadata = "";
  long endOffset = -1;
  boolean dirty;
  volatile boolean revoked;

  /**
   * @param owner the session that owns the partition; a delivery finishing after its session ended
   *     is ignored
   */
  PartitionQueue(Object owner, TopicPartition tp, PartitionOffsets offsets, Ordering ordering) {
    this.owner = owner;
    this.tp = tp;
    this.offsets = offsets;
    this.ordering = ordering;
  }

  void enqueue(Delivery d) {
    waiting++;
    if (ordering == Ordering.KEY && d.record.key() != null) {
      ByteBuffer k = ByteBuffer.wrap(d.record.key());
      ArrayDeque<Delivery> queue = byKey.get(k);
      if (queue != null) {
        queue.add(d);
        return;
      }
      byKey.put(k, new ArrayDeque<>());
    }
    ready.add(d);
  }

  /** The next record that may start now, or null. */
  Delivery nextReady() {
    if (ordering == Ordering.PARTITION && inFlight > 0) {
      return null;
    }
    Delivery d = ready.poll();
    if (d != null) {
      waiting--;
    }
    return d;
  }

  /** A record finished: under KEY ordering the next record with its key may start. */
  void release(Delivery d) {
    if (ordering == Ordering.KEY && d.record.key() != null) {
      ByteBuffer k = ByteBuffer.wrap(d.record.key());
      ArrayDeque<Delivery> queue = byKey.get(k);
      if (queue != null) {
        Delivery next = queue.poll();
        if (next == null) {
          byKey.remove(k);
        } else {
          ready.add(next);
        }
      }
    }
  }

  /** Notes the time of a record read (records without one, timestamp -1, are not noted). */
  void read(long offset, long timestamp) {
    timestamps.read(offset, timestamp);
  }

  /**
   * The timestamp of the oldest record not yet committed past, when it has been read; else null.
   * Forgets the records before the committed offset.
   */
  Long oldestPendingTimestamp() {
    long oldest = timestamps.oldestFrom(Math.max(committed, 0));
    return oldest < 0 ? null : oldest;
  }

  /** Forgets the records that have not started; how many there were. */
  int clearWaiting() {
    int n = waiting;
    ready.clear();
    byKey.clear();
    waiting = 0;
    return n;
  }
}
