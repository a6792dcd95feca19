package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * Something a library wants its user to see. Libraries emit events to a {@code Consumer<FcEvent>};
 * the Maven plugin maps them to its log, tests collect them.
 *
 * @param level how prominent it is
 * @param message the text, never containing a credential
 * @param progress for {@link Level#PROGRESS}: done fraction 0..1, otherwise -1
 */
public record FcEvent(Level level, String message, double progress) {

  /** How prominent an event is. */
  public enum Level {
    /** Steps the user always sees (Maven {@code info}). */
    LIFECYCLE,
    /** Details (Maven {@code debug}). */
    INFO,
    /** Something the user should look at. */
    WARN,
    /** Progress of a long step; shown as a live line on a terminal only. */
    PROGRESS
  }

  public FcEvent {
    requireNonNull(level, "level");
    requireNonNull(message, "message");
  }

  public static FcEvent lifecycle(String message) {
    return new FcEvent(Level.LIFECYCLE, message, -1);
  }

  public static FcEvent info(String message) {
    return new FcEvent(Level.INFO, message, -1);
  }

  public static FcEvent warn(String message) {
    return new FcEvent(Level.WARN, message, -1);
  }

  public static FcEvent progress(String message, double fraction) {
    return new FcEvent(Level.PROGRESS, message, fraction);
  }
}
