package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.kafka.internal.CloudEventMapper;
import io.fctoolkit.runtime.kafka.internal.PartitionOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * One connection of a trigger's consumer (and producer) to the cluster, replaced after a failure.
 * Its loop, on the consumer thread, reads records into {@link PartitionQueue}s, starts deliveries
 * up to {@code maxInFlight}, pauses partitions whose queues are full and resumes them when they
 * drain, hands finished deliveries to the {@link OutcomeCommitter}, and keeps the status board's
 * partition snapshot fresh. On rebalance, in-flight records of the partitions that leave finish
 * (bounded by {@code drainTimeout}) and are committed before the partitions go.
 */
final class TriggerSession implements ConsumerRebalanceListener {

  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final Duration BUSY_POLL = Duration.ofMillis(5);

  private final TriggerSpec spec;
  private final TriggerEngineConfig config;
  private final CloudEventMapper mapper;
  private final DeliveryAttempts attempts;
  private final TriggerStatusBoard board;
  private final Queue<Delivery> finished;
  private final BooleanSupplier closing;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final ExecutorService committerThread;
  private final OutcomeCommitter committer;
  private final Map<TopicPartition, PartitionQueue> queues = new LinkedHashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private int inFlight;
  private int waiting;
  private long lastEndOffsetsNanos;
  private long lastStatusNanos;
  private boolean closed;

  /**
   * Makes the clients, fences a crashed predecessor's transaction, and subscribes.
   *
   * @param finished deliveries handed back by {@link DeliveryAttempts}, shared across sessions
   * @param closing true once the dispatcher is closing
   */
  TriggerSession(
      TriggerSpec spec,
      TriggerEngineConfig config,
      TriggerClients clients,
      OutputLimits limits,
      DeliveryAttempts attempts,
      TriggerStatusBoard board,
      Queue<Delivery> finished,
      BooleanSupplier closing) {
    this.spec = requireNonNull(spec, "spec");
    this.config = requireNonNull(config, "config");
    this.mapper = new CloudEventMapper(spec, config.namespace());
    this.attempts = requireNonNull(attempts, "attempts");
    this.board = requireNonNull(board, "board");
    this.finished = requireNonNull(finished, "finished");
    this.closing = requireNonNull(closing, "closing");
    Consumer<byte[], byte[]> c = clients.consumer();
    Producer<byte[], byte[]> p = null;
    try {
      if (spec.onSuccessTopic() != null || spec.deadLetterTopic() != null) {
        p = clients.producer();
        // Fences and aborts the open transaction of a crashed predecessor with the same id.
        p.initTransactions();
      }
      c.subscribe(List.of(spec.topic()), this);
    } catch (RuntimeException e) {
      c.close(Duration.ZERO);
      if (p != null) {
        p.close(Duration.ZERO);
      }
      throw e;
    }
    this.consumer = c;
    this.producer = p;
    this.committerThread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fc-trigger-commit-" + spec.function() + "-" + spec.name());
              t.setDaemon(true);
              return t;
            });
    this.committer =
        new OutcomeCommitter(
            c, p, new OutcomeWriter(spec, limits), board, committerThread, config.commitInterval());
  }

  /** Runs until the dispatcher closes; throws when the session fails. */
  void loop() {
    while (!closing.getAsBoolean()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new KafkaException("interrupted");
      }
      takeFinished();
      dispatchReady();
      committer.publish(false, queues.values());
      updatePause();
      // Poll manually so that in-flight deliveries stay bounded by maxInFlight; a short
      // timeout while deliveries run, so their completions are committed promptly.
      ConsumerRecords<byte[], byte[]> records =
          consumer.poll(inFlight > 0 || !finished.isEmpty() ? BUSY_POLL : IDLE_POLL);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        accept(record);
      }
      refreshStatus(false);
    }
  }

  /** Graceful end: pause, let in-flight records finish (bounded), commit, leave the group. */
  void shutdown() {
    board.state("STOPPING");
    consumer.pause(consumer.assignment());
    dropWaiting(queues.values());
    awaitInFlight(queues.values());
    committer.publish(true, queues.values());
    // Released here, so that onPartitionsRevoked, run by close(), does not wait again.
    release(new ArrayList<>(queues.values()));
    closeClients(Duration.ofSeconds(10));
  }

  /** After a failure: release everything without committing; records are read again. */
  void abandon() {
    committer.markBroken();
    for (PartitionQueue q : queues.values()) {
      q.revoked = true;
    }
    board.inFlight.addAndGet(-inFlight);
    closeClients(Duration.ZERO);
  }

  boolean closed() {
    return closed;
  }

  private void closeClients(Duration timeout) {
    closed = true;
    committerThread.shutdownNow();
    try {
      consumer.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(timeout));
    } catch (RuntimeException e) {
      board.lastError(KafkaErrors.describe(e));
    }
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        board.lastError(KafkaErrors.describe(e));
      }
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    PartitionQueue q = queues.get(new TopicPartition(record.topic(), record.partition()));
    if (q == null) {
      return; // revoked while the fetch was under way
    }
    if (!q.offsets.track(record.offset())) {
      q.dirty = true; // done by an earlier owner: skip, but let the prefix move
      return;
    }
    q.read(record.offset(), record.timestamp());
    Delivery d = new Delivery(record, q, mapper.toRequest(record), spec);
    config.listener().received(d.event(0));
    q.enqueue(d);
    waiting++;
  }

  private void dispatchReady() {
    boolean progress = true;
    while (progress && inFlight < spec.maxInFlight()) {
      progress = false;
      for (PartitionQueue q : queues.values()) {
        if (inFlight >= spec.maxInFlight()) {
          break;
        }
        Delivery d = q.nextReady();
        if (d != null) {
          waiting--;
          inFlight++;
          q.inFlight++;
          board.inFlight.incrementAndGet();
          attempts.start(d);
          progress = true;
        }
      }
    }
  }

  /** Applies finished deliveries (from any thread) on the consumer thread. */
  private void takeFinished() {
    Delivery d;
    while ((d = finished.poll()) != null) {
      PartitionQueue q = d.queue;
      if (q.revoked || q.owner != this) {
        continue;
      }
      q.inFlight--;
      inFlight--;
      board.inFlight.decrementAndGet();
      q.release(d);
      committer.add(d);
    }
  }

  private void updatePause() {
    Set<TopicPartition> toPause = new HashSet<>();
    Set<TopicPartition> toResume = new HashSet<>();
    int cap = spec.maxInFlight();
    for (PartitionQueue q : queues.values()) {
      boolean full = q.waiting >= cap || (waiting >= cap && q.waiting > 0);
      boolean calm = q.waiting < Math.max(1, cap / 2) && (waiting < cap / 2 || q.waiting == 0);
      if (full && !paused.contains(q.tp)) {
        toPause.add(q.tp);
      } else if (calm && paused.contains(q.tp)) {
        toResume.add(q.tp);
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
      paused.addAll(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
      paused.removeAll(toResume);
    }
  }

  private void dropWaiting(Collection<PartitionQueue> which) {
    for (PartitionQueue q : which) {
      waiting -= q.clearWaiting();
    }
  }

  private void awaitInFlight(Collection<PartitionQueue> which) {
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      takeFinished();
      int left = 0;
      for (PartitionQueue q : which) {
        left += q.inFlight;
      }
      if (left == 0) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    takeFinished();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (committer.broken()) {
      return;
    }
    List<PartitionQueue> leaving = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      PartitionQueue q = queues.get(tp);
      if (q != null) {
        leaving.add(q);
      }
    }
    if (leaving.isEmpty()) {
      return;
    }
    // Finish what is in flight and commit it before the partitions go to another member, so
    // the new owner neither loses nor repeats those records.
    dropWaiting(leaving);
    awaitInFlight(leaving);
    committer.publish(true, queues.values());
    release(leaving);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    // Another member may own them already: committing now could move its offsets.
    List<PartitionQueue> lost = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      PartitionQueue q = queues.get(tp);
      if (q != null) {
        lost.add(q);
      }
    }
    dropWaiting(lost);
    committer.forget(partitions);
    release(lost);
  }

  private void release(List<PartitionQueue> leaving) {
    for (PartitionQueue q : leaving) {
      q.revoked = true;
      inFlight -= q.inFlight;
      board.inFlight.addAndGet(-q.inFlight);
      queues.remove(q.tp);
      paused.remove(q.tp);
    }
    refreshStatus(true);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata c = committed.get(tp);
      PartitionQueue q;
      if (c != null) {
        q =
            new PartitionQueue(
                this, tp, new PartitionOffsets(c.offset(), c.metadata()), spec.ordering());
        q.committed = c.offset();
        q.requested = c.offset();
        q.requestedMetadata = c.metadata() == null ? "" : c.metadata();
      } else {
        // A new group: commit where the start offset put us, so a crash before the first
        // delivery cannot make a "latest" trigger skip records produced meanwhile.
        long position = consumer.position(tp, Duration.ofSeconds(30));
        q = new PartitionQueue(this, tp, new PartitionOffsets(position, null), spec.ordering());
        q.dirty = true;
      }
      queues.put(tp, q);
    }
    refreshStatus(true);
  }

  private void refreshStatus(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastStatusNanos < TimeUnit.MILLISECONDS.toNanos(200)) {
      return;
    }
    lastStatusNanos = now;
    if (now - lastEndOffsetsNanos > TimeUnit.SECONDS.toNanos(2) && !queues.isEmpty()) {
      lastEndOffsetsNanos = now;
      try {
        Map<TopicPartition, Long> ends =
            consumer.endOffsets(new HashSet<>(queues.keySet()), Duration.ofSeconds(2));
        ends.forEach(
            (tp, end) -> {
              PartitionQueue q = queues.get(tp);
              if (q != null) {
                q.endOffset = end;
              }
            });
      } catch (RuntimeException e) {
        board.lastError(KafkaErrors.describe(e));
      }
    }
    List<PartitionStatus> list = new ArrayList<>();
    for (PartitionQueue q : sorted()) {
      TriggerStatusBoard.Counters c = board.partition(q.tp.partition());
      long committedOffset = Math.max(q.committed, 0);
      long end = Math.max(q.endOffset, committedOffset);
      Long oldest = q.oldestPendingTimestamp();
      list.add(
          new PartitionStatus(
              q.tp.partition(),
              committedOffset,
              end,
              end - committedOffset,
              q.inFlight,
              c.delivered.sum(),
              c.retried.sum(),
              c.deadLettered.sum(),
              c.parked.sum(),
              end > committedOffset ? oldest : null));
    }
    board.partitions(list);
    board.sessionState(describeSession());
  }

  private Collection<PartitionQueue> sorted() {
    TreeMap<Integer, PartitionQueue> sorted = new TreeMap<>();
    queues.values().forEach(q -> sorted.put(q.tp.partition(), q));
    return sorted.values();
  }

  /**
   * What a stall report needs and {@link PartitionStatus} does not show: per partition whether the
   * consumer owns and has paused it (and whether that agrees with the session's own bookkeeping),
   * records waiting and in flight, the committable prefix against what was requested and committed;
   * for the session, the transaction in progress and its age.
   */
  private String describeSession() {
    Set<TopicPartition> assigned = consumer.assignment();
    Set<TopicPartition> consumerPaused = consumer.paused();
    StringBuilder out = new StringBuilder();
    out.append("session inFlight=")
        .append(inFlight)
        .append(" waiting=")
        .append(waiting)
        .append(" toPublish=")
        .append(committer.waiting())
        .append(" broken=")
        .append(committer.broken())
        .append(" commit=")
        .append(committer.describe())
        .append(" assigned=")
        .append(assigned.size());
    for (PartitionQueue q : sorted()) {
      out.append("; p")
          .append(q.tp.partition())
          .append(" owned=")
          .append(assigned.contains(q.tp))
          .append(" paused=")
          .append(paused.contains(q.tp))
          .append('/')
          .append(consumerPaused.contains(q.tp))
          .append(" waiting=")
          .append(q.waiting)
          .append(" inFlight=")
          .append(q.inFlight)
          .append(" pending=")
          .append(q.offsets.pending())
          .append(" committable=")
          .append(q.offsets.committable())
          .append(" requested=")
          .append(q.requested)
          .append(" committed=")
          .append(q.committed)
          .append(" end=")
          .append(q.endOffset);
    }
    for (TopicPartition tp : assigned) {
      if (!queues.containsKey(tp)) {
        out.append("; ").append(tp).append(" owned by the consumer but not tracked");
      }
    }
    return out.toString();
  }
}
