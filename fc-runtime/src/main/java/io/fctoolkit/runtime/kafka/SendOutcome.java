package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What became of one record {@code fc:send} produced.
 *
 * @param record the record
 * @param partition the partition it was written to
 * @param offset its offset there
 * @param kind what happened
 * @param topic the topic the outcome was read from (result or dead-letter topic), or null
 * @param value the result or the dead letter's value; empty for the other kinds
 * @param headers the outcome record's headers (UTF-8), e.g. {@code fc-error}, {@code fc-version}
 */
public record SendOutcome(
    SendRecord record,
    int partition,
    long offset,
    Kind kind,
    String topic,
    byte[] value,
    Map<String, String> headers) {

  /** What became of a record. */
  public enum Kind {
    /** The function's answer, read from the trigger's onSuccess topic. */
    RESULT,
    /** Its dead letter, read from the trigger's dead-letter topic; the headers say why. */
    DEAD_LETTER,
    /**
     * The trigger committed past it, but no result or dead letter was written: an empty 2xx answer,
     * a trigger without an onSuccess topic, or a record parked (fc:status shows parked records).
     */
    DELIVERED,
    /** Nothing within the timeout: the trigger is behind, stopped, or reads another topic. */
    TIMED_OUT
  }

  public SendOutcome {
    requireNonNull(record, "record");
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    headers = Map.copyOf(headers);
  }

  /** A header of the outcome record, or null. */
  public String header(String name) {
    return headers.get(name);
  }
}
