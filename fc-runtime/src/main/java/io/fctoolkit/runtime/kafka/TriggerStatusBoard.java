package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.DeadLetterNote;
import java.nio.charset.StandardCharsets;
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

  /** How many notes of failed records the board keeps for the dashboard, newest last. */
  static final int DEAD_LETTERS_KEPT = 50;

  /** Longest key and reason kept in a note, in characters. */
  static final int NOTE_TEXT_MAX = 300;

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
  private final ArrayDeque<DeadLetterNote> deadLetters = new ArrayDeque<>();
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
        note(d, "parked", p.reason());
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
        note(d, "cut", d.success ? d.formReason() : d.error + "; " + d.formReason());
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
          note(d, "dead-letter", d.error);
        } else {
          dropped.increment();
          v.deadLettered.increment();
          note(d, "dropped", d.error);
        }
      }
    }
  }

  private void note(Delivery d, String form, String reason) {
    byte[] key = d.record.key();
    DeadLetterNote note =
        new DeadLetterNote(
            System.currentTimeMillis(),
            spec.name(),
            d.record.partition(),
            d.record.offset(),
            key == null ? null : cut(new String(key, StandardCharsets.UTF_8)),
            d.version,
            d.status,
            d.attempt,
            form,
            cut(reason));
    synchronized (deadLetters) {
      if (deadLetters.size() == DEAD_LETTERS_KEPT) {
        deadLetters.removeFirst();
      }
      deadLetters.addLast(note);
    }
  }

  private static String cut(String text) {
    return text == null || text.length() <= NOTE_TEXT_MAX
        ? text
        : text.substring(0, NOTE_TEXT_MAX - 1) + "\u2026";
  }

  /**
   * Notes of the latest records that failed (dead-lettered, cut, parked or dropped), oldest first.
   */
  List<DeadLetterNote> deadLetters() {
    synchronized (deadLetters) {
      return List.copyOf(deadLetters);
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
