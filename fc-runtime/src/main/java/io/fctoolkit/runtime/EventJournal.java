package io.fctoolkit.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's journal of changes (publishes, alias moves, rollbacks, trigger changes, and what
 * other parts of the runtime {@link #record}), kept in memory for the dashboard's markers: the
 * latest {@value #CAPACITY} entries of all functions, each detail cut at {@value #MAX_DETAIL}
 * characters, so it stays under about 1 MiB. It is not durable: a restarted runtime starts empty.
 */
public final class EventJournal {

  /** A version was published. */
  public static final String PUBLISH = "publish";

  /** An alias was created or moved (weights included). */
  public static final String ALIAS = "alias";

  /** An alias was moved back to the target it had before its last move. */
  public static final String ROLLBACK = "rollback";

  /** An alias was deleted. */
  public static final String ALIAS_DELETE = "alias-delete";

  /** A trigger was created or changed. */
  public static final String TRIGGER = "trigger";

  /** A trigger was deleted. */
  public static final String TRIGGER_DELETE = "trigger-delete";

  /** A version was deleted. */
  public static final String VERSION_DELETE = "version-delete";

  /** Entries kept, all functions together. */
  public static final int CAPACITY = 2000;

  /** Longest detail kept, in characters. */
  public static final int MAX_DETAIL = 500;

  private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private final LongSupplier clock;
  private final ArrayDeque<JournalEvent> events = new ArrayDeque<>();
  private final List<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();
  private long seq;

  public EventJournal() {
    this(System::currentTimeMillis);
  }

  /** A journal on another clock (epoch milliseconds), for tests. */
  public EventJournal(LongSupplier clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Records one change and tells the listeners (the dashboard's live streams).
   *
   * @param type lower-case letters, digits and '-', starting with a letter, at most 40 characters
   *     (the types above, or the caller's own, such as {@code rollout-step})
   * @param function the function it concerns
   * @param detail one line for people; null is empty, longer than {@value #MAX_DETAIL} is cut
   * @return the entry
   * @throws IllegalArgumentException when {@code type} is not of that form
   */
  public JournalEvent record(String type, String function, String detail) {
    requireNonNull(function, "function");
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "journal event type '"
              + type
              + "' must be lower-case letters, digits and '-', starting with a letter, at most 40");
    }
    String text = detail == null ? "" : detail.replace('\n', ' ').replace('\r', ' ');
    if (text.length() > MAX_DETAIL) {
      text = text.substring(0, MAX_DETAIL - 1) + "\u2026";
    }
    JournalEvent event;
    synchronized (events) {
      event = new JournalEvent(++seq, clock.getAsLong(), type, function, text);
      if (events.size() == CAPACITY) {
        events.removeFirst();
      }
      events.addLast(event);
    }
    for (Consumer<JournalEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        // A listener's failure must not fail the change that was recorded.
        LOG.warn("journal listener failed on {} event: {}", type, e.toString());
      }
    }
    return event;
  }

  /**
   * A function's entries after {@code afterSeq}, oldest first, at most {@code limit} (the newest
   * ones when there are more).
   */
  public List<JournalEvent> events(String function, long afterSeq, int limit) {
    List<JournalEvent> out = new ArrayList<>();
    synchronized (events) {
      for (JournalEvent e : events) {
        if (e.seq() > afterSeq && e.function().equals(function)) {
          out.add(e);
        }
      }
    }
    return out.size() > limit ? List.copyOf(out.subList(out.size() - limit, out.size())) : out;
  }

  /** Calls {@code listener} with every entry recorded from now on, on the recording thread. */
  public void subscribe(Consumer<JournalEvent> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  public void unsubscribe(Consumer<JournalEvent> listener) {
    listeners.remove(listener);
  }
}
