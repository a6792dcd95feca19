package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes finished deliveries' outcomes (results and dead letters) and commits the offsets that mark
 * their records done, in one Kafka transaction when the trigger writes outputs. Only the contiguous
 * completed prefix of each partition is committed; offsets done beyond it travel in the commit
 * metadata. Transactions run on the committer thread, one at a time, so that a slow commit does not
 * hold up dispatching.
 *
 * <p>One record never stops the others: an outcome that does not fit is written in the cut form
 * (see {@link OutcomeWriter}), and a write the cluster refuses for that record alone aborts the
 * transaction, which is then retried at once with that record cut, or parked if it was cut already.
 * Any other failure ends the session, so that everything not committed is read again.
 */
final class OutcomeCommitter {

  /** The longest one transaction (results, dead letters, offsets) may run before we give up. */
  static final Duration COMMIT_LIMIT = Duration.ofSeconds(60);

  /** How long a failed transaction waits for its writes' answers to find the record at fault. */
  private static final Duration FAULT_WAIT = Duration.ofSeconds(5);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final OutcomeWriter writer;
  private final TriggerStatusBoard board;
  private final ExecutorService thread;
  private final Duration commitInterval;
  private final List<Delivery> toPublish = new ArrayList<>();
  private long lastCommitNanos = System.nanoTime();
  private PendingCommit pending;
  private boolean broken;

  /** A transaction running on the committer thread, with what it commits. */
  private record PendingCommit(
      List<Delivery> batch,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      Future<?> future,
      long startNanos) {}

  /**
   * @param producer the transactional producer, or null when the trigger writes nothing (offsets
   *     are then committed by the consumer)
   * @param thread the committer thread
   */
  OutcomeCommitter(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      OutcomeWriter writer,
      TriggerStatusBoard board,
      ExecutorService thread,
      Duration commitInterval) {
    this.consumer = requireNonNull(consumer, "consumer");
    this.producer = producer;
    this.writer = requireNonNull(writer, "writer");
    this.board = requireNonNull(board, "board");
    this.thread = requireNonNull(thread, "thread");
    this.commitInterval = requireNonNull(commitInterval, "commitInterval");
  }

  /** A delivery finished; its outcome goes into the next transaction. */
  void add(Delivery d) {
    toPublish.add(d);
  }

  /** Forgets the finished deliveries of partitions lost to another member. */
  void forget(Collection<TopicPartition> partitions) {
    toPublish.removeIf(d -> partitions.contains(d.queue.tp));
  }

  boolean broken() {
    return broken;
  }

  /** The session ends without committing; nothing more is written. */
  void markBroken() {
    broken = true;
  }

  /**
   * Commits what finished, at most once per commit interval unless {@code force}, which also waits
   * for the transaction running now and commits on the calling thread (rebalance, close).
   *
   * @param queues the session's partitions, whose committable prefixes are committed
   * @throws KafkaException if the transaction or commit failed; the session must end
   */
  void publish(boolean force, Collection<PartitionQueue> queues) {
    if (broken || !finishPending(force, queues)) {
      return;
    }
    boolean dirty = !toPublish.isEmpty();
    for (PartitionQueue q : queues) {
      dirty |= q.dirty;
    }
    if (!dirty) {
      return;
    }
    if (!force && System.nanoTime() - lastCommitNanos < commitInterval.toNanos()) {
      return;
    }
    List<Delivery> batch = new ArrayList<>(toPublish);
    toPublish.clear();
    for (Delivery d : batch) {
      d.queue.offsets.complete(d.record.offset());
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionQueue q : queues) {
      long next = q.offsets.committable();
      String metadata = q.offsets.metadata();
      if (next != q.requested || !metadata.equals(q.requestedMetadata)) {
        offsets.put(q.tp, new OffsetAndMetadata(next, metadata));
        q.requested = next;
        q.requestedMetadata = metadata;
      }
      q.dirty = false;
    }
    lastCommitNanos = System.nanoTime();
    try {
      if (producer != null) {
        ConsumerGroupMetadata group = consumer.groupMetadata();
        Runnable transaction = () -> transact(batch, offsets, group);
        if (force) {
          transaction.run();
          committed(batch, offsets, queues);
        } else {
          pending =
              new PendingCommit(batch, offsets, thread.submit(transaction), System.nanoTime());
        }
      } else {
        if (!offsets.isEmpty()) {
          consumer.commitSync(offsets, Duration.ofSeconds(30));
        }
        committed(batch, offsets, queues);
      }
    } catch (RuntimeException e) {
      // The transaction (or commit) failed: the session ends so that everything not committed is
      // read and delivered again by the next one. Never lose, maybe repeat.
      broken = true;
      throw e;
    }
  }

  /**
   * One transaction: every outcome of the batch and the offsets. A write refused for its record
   * alone (too large, invalid) aborts it, and it runs again with that record cut or parked; each
   * round moves at least one record one step down, so this ends.
   */
  private void transact(
      List<Delivery> batch,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group) {
    while (true) {
      producer.beginTransaction();
      List<Sent> sent = new ArrayList<>();
      List<Delivery> refused = new ArrayList<>();
      RuntimeException failure = null;
      try {
        for (Delivery d : batch) {
          ProducerRecord<byte[], byte[]> r = writer.record(d);
          if (r == null) {
            continue;
          }
          Sent s;
          try {
            s = new Sent(d, producer.send(r));
          } catch (KafkaException e) {
            if (!KafkaErrors.isRecordError(e)) {
              throw e;
            }
            s = new Sent(d, CompletableFuture.failedFuture(e));
          }
          sent.add(s);
          // A write that failed before it was sent (a record too large, or no metadata for its
          // topic within max.block.ms) fails the transaction now, instead of letting every other
          // write of the batch wait as long.
          if (s.future().isDone() && s.failure(Duration.ZERO) != null) {
            break;
          }
        }
        if (refusedRecords(sent, Duration.ZERO, refused).isEmpty() && !anyFailed(sent)) {
          if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, group);
          }
          producer.commitTransaction();
          return;
        }
      } catch (KafkaException e) {
        failure = e;
        refused.clear();
        refusedRecords(sent, FAULT_WAIT, refused);
      }
      if (refused.isEmpty()) {
        Throwable cause = failure != null ? failure : firstFailure(sent);
        throw new KafkaException("writing a result or dead letter failed", cause);
      }
      producer.abortTransaction();
      for (Delivery d : refused) {
        Throwable cause = failureOf(sent, d);
        d.downgrade(
            "writing to "
                + (d.success ? "the onSuccess topic" : "the dead-letter topic")
                + " failed: "
                + KafkaErrors.describe(cause));
      }
    }
  }

  /** A write of the transaction and its future. */
  private record Sent(Delivery delivery, Future<?> future) {
    Throwable failure(Duration wait) {
      try {
        future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        return null;
      } catch (ExecutionException e) {
        return e.getCause() == null ? e : e.getCause();
      } catch (TimeoutException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted", e);
      }
    }
  }

  private static List<Delivery> refusedRecords(List<Sent> sent, Duration wait, List<Delivery> out) {
    long deadline = System.nanoTime() + wait.toNanos();
    for (Sent s : sent) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      Throwable t = s.failure(left);
      if (t != null && KafkaErrors.isRecordError(t) && !out.contains(s.delivery())) {
        out.add(s.delivery());
      }
    }
    return out;
  }

  private static boolean anyFailed(List<Sent> sent) {
    return firstFailure(sent) != null;
  }

  private static Throwable firstFailure(List<Sent> sent) {
    for (Sent s : sent) {
      if (s.future().isDone()) {
        Throwable t = s.failure(Duration.ZERO);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  private static Throwable failureOf(List<Sent> sent, Delivery d) {
    for (Sent s : sent) {
      if (s.delivery() == d) {
        Throwable t = s.failure(Duration.ZERO);
        if (t != null) {
          return t;
        }
      }
    }
    return new KafkaException("refused");
  }

  /** True when no transaction is running any more; waits for it if {@code wait}. */
  boolean finishPending(boolean wait, Collection<PartitionQueue> queues) {
    if (pending == null) {
      return true;
    }
    if (!wait && !pending.future().isDone()) {
      long running = System.nanoTime() - pending.startNanos();
      if (running > COMMIT_LIMIT.toNanos()) {
        // Each producer call is bounded (max.block.ms), but not a transaction as a whole: give
        // up on it, so that the next session writes the records again instead of waiting.
        broken = true;
        pending.future().cancel(true);
        throw new KafkaException(
            "committing results and offsets has not finished after "
                + COMMIT_LIMIT.toSeconds()
                + " s; starting over");
      }
      return false;
    }
    try {
      pending.future().get(COMMIT_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      broken = true;
      throw new KafkaException("committing results and offsets failed", e.getCause());
    } catch (TimeoutException e) {
      broken = true;
      throw new KafkaException("committing results and offsets timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      broken = true;
      throw new KafkaException("interrupted while committing", e);
    }
    PendingCommit done = pending;
    pending = null;
    committed(done.batch(), done.offsets(), queues);
    return true;
  }

  private void committed(
      List<Delivery> batch,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      Collection<PartitionQueue> queues) {
    for (PartitionQueue q : queues) {
      OffsetAndMetadata c = offsets.get(q.tp);
      if (c != null) {
        q.committed = c.offset();
      }
    }
    for (Delivery d : batch) {
      board.count(d);
    }
  }

  int waiting() {
    return toPublish.size();
  }

  /** The transaction in progress, for stall reports. */
  String describe() {
    if (pending == null) {
      return "none";
    }
    return (pending.future().isDone() ? "done" : "running")
        + " for "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pending.startNanos())
        + " ms ("
        + pending.batch().size()
        + " records)";
  }
}
