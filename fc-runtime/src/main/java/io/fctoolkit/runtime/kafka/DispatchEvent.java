package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

/**
 * One delivery attempt of a Kafka record by a trigger, as seen by a {@link DispatchListener}.
 *
 * @param function the function the trigger invokes
 * @param trigger the trigger's name
 * @param topic the source topic
 * @param partition the source partition
 * @param offset the source offset
 * @param key the record key as UTF-8 text, or null
 * @param attempt the attempt number, 1 for the first
 */
public record DispatchEvent(
    String function,
    String trigger,
    String topic,
    int partition,
    long offset,
    String key,
    int attempt) {
  public DispatchEvent {
    requireNonNull(function, "function");
    requireNonNull(trigger, "trigger");
    requireNonNull(topic, "topic");
  }
}
