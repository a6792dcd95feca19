package io.fctoolkit.runtime;

import static java.util.Objects.requireNonNull;

/**
 * One entry of the runtime's {@link EventJournal}: a change the dashboard marks on its time axis.
 *
 * @param seq increasing from 1 for the runtime's life, so a reader asks for what came after the
 *     last one it saw
 * @param timeMs when it happened (epoch milliseconds)
 * @param type what happened, e.g. {@code publish}, {@code alias}, {@code rollback}
 * @param function the function it concerns
 * @param detail one line for people
 */
public record JournalEvent(long seq, long timeMs, String type, String function, String detail) {
  public JournalEvent {
    requireNonNull(type, "type");
    requireNonNull(function, "function");
    requireNonNull(detail, "detail");
  }
}
