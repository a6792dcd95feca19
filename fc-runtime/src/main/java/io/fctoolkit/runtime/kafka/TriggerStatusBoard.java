package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one trigger shows the world: its state and last error, per-partition and per-version
 * counters kept for the trigger's life, the records it parked, and the latest snapshot of its
 * partitions. Written by the trigger's threads, read by status and metrics at any time.
 */
final class TriggerStatusBoard {

  /** The trigger stopped on an error no retry can fix; put it again once the cause is fixed. */
  static final String FAILED = "FAILED";

  /** How many parked records the board remembers (the counters count them all). */
  static final int PARKED_KEPT = 100;

  /** Per-partition or per-version counters. */
  static final class Counters {
    final LongAdder delivered = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder parked = new LongAdder();
  }

  /**
   * A record whose outcome could be written nowhere.
   *
   * @param partition its partition
   * @param offset its offset
   * @param reason why
   */
  record Parked(int partition, long offset, String reason) {}

  private final TriggerSpec spec;
  private final Map<Integer, Counters> partitions = new ConcurrentHashMap<>();
  private final Map<Integer, Counters> versions = new ConcurrentHashMap<>();
  private final ArrayDeque<Parked> parked = new ArrayDeque<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final LongAdder dropped = new LongAdder();
  final LongAdder connectFailures = new LongAdder();

  private volatile String state = "STARTING";
  private volatile String lastError;
  private volatile List<PartitionStatus> partitionStatuses = List.of();
  private volatile String sessionState = "no session";

  TriggerStatusBoard(TriggerSpec spec) {
    this.spec = spec;
  }

  TriggerStatus status() {
    return new TriggerStatus(spec.name(), state, lastError, partitionStatuses);
  }

  String state() {
    return state;
  }

  void state(String value) {
    state = value;
  }

  String lastError() {
    return lastError;
  }

  void lastError(String value) {
    lastError = value;
  }

  Counters partition(int partition) {
    return partitions.computeIfAbsent(partition, k -> new Counters());
  }

  Counters version(int version) {
    return versions.computeIfAbsent(version, k -> new Counters());
  }

  Map<Integer, Counters> versions() {
    return versions;
  }

  /** Counts a record's committed outcome. */
  void count(Delivery d) {
    Counters c = partition(d.record.partition());
    Counters v = version(d.version);
    switch (d.form()) {
      case PARKED -> {
        c.parked.increment();
        v.deadLettered.increment();
        Parked p = new Parked(d.record.partition(), d.record.offset(), d.formReason());
        synchronized (parked) {
          if (parked.size() == PARKED_KEPT) {
            parked.removeFirst();
          }
          parked.addLast(p);
        }
        lastError =
            "parked partition "
                + p.partition()
                + " offset "
                + p.offset()
                + " (its outcome could be written nowhere and the partition moved on): "
                + p.reason();
      }
      case CUT -> {
        c.deadLettered.increment();
        v.deadLettered.increment();
        lastError =
            "dead-lettered partition "
                + d.record.partition()
                + " offset "
                + d.record.offset()
                + " with its payload cut: "
                + d.formReason();
      }
      case AS_IS -> {
        if (d.success) {
          c.delivered.increment();
          v.delivered.increment();
        } else if (spec.deadLetterTopic() != null) {
          c.deadLettered.increment();
          v.deadLettered.increment();
        } else {
          dropped.increment();
          v.deadLettered.increment();
        }
      }
    }
  }

  /** The latest parked records, oldest first. */
  List<Parked> parked() {
    synchronized (parked) {
      return List.copyOf(parked);
    }
  }

  void partitions(List<PartitionStatus> value) {
    partitionStatuses = List.copyOf(value);
  }

  String sessionState() {
    return sessionState;
  }

  void sessionState(String value) {
    sessionState = value;
  }
}
