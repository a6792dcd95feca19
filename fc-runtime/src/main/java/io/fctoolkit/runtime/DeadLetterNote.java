package io.fctoolkit.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A record a trigger could not deliver, as the dashboard lists it: where it came from, which
 * version failed it, and why. The dead-letter topic holds the record itself; this is the note the
 * runtime keeps of the latest ones.
 *
 * @param timeMs when its outcome was committed (epoch milliseconds)
 * @param trigger the trigger's name
 * @param partition the source partition
 * @param offset the source offset
 * @param key the record's key as text, or null
 * @param version the version whose answer failed it (0 when none answered)
 * @param status the last HTTP status (0 when no answer came)
 * @param attempts delivery attempts made
 * @param form {@code dead-letter} (written as it was), {@code cut} (written with its payload cut),
 *     {@code parked} (nothing could be written) or {@code dropped} (no dead-letter topic)
 * @param reason why it failed
 */
public record DeadLetterNote(
    long timeMs,
    String trigger,
    int partition,
    long offset,
    String key,
    int version,
    int status,
    int attempts,
    String form,
    String reason) {

  public DeadLetterNote {
    requireNonNull(trigger, "trigger");
    requireNonNull(form, "form");
    reason = reason == null ? "" : reason;
  }
}
