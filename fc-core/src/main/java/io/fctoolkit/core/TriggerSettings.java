package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * How a Kafka trigger reads and delivers: everything a trigger declares except who it is (its name
 * and function), what it invokes (the alias, bound per environment) and where the cluster is.
 *
 * <p>The one place these settings, their limits and their defaults are written down: a function
 * file's trigger ({@code TriggerDecl}) and a platform's trigger ({@link TriggerSpec}) both hold
 * one, so adding a setting is one component here, not a copy per record.
 *
 * @param topic the source topic
 * @param consumerGroup the consumer group id, or null for the stable default {@link
 *     TriggerSpec#defaultGroup(String, String)}
 * @param ordering which records may be in flight together
 * @param maxInFlight most records in flight for the trigger at once
 * @param batchSize records per invocation
 * @param startOffset where a new consumer group starts
 * @param retry how failed deliveries are retried
 * @param deadLetterTopic where records go after the last failed attempt, or null
 * @param onSuccessTopic where 2xx response bodies go, keyed like the source record, or null
 * @param allowDrop whether a record may be dropped after its last attempt when there is no
 *     dead-letter topic; false by default, so the default never drops
 * @param partitions partitions to create the topic with when it does not exist
 */
public record TriggerSettings(
    String topic,
    String consumerGroup,
    Ordering ordering,
    int maxInFlight,
    int batchSize,
    StartOffset startOffset,
    RetryPolicy retry,
    String deadLetterTopic,
    String onSuccessTopic,
    boolean allowDrop,
    int partitions) {

  public static final Ordering DEFAULT_ORDERING = Ordering.KEY;
  public static final int DEFAULT_MAX_IN_FLIGHT = 100;
  public static final int MAX_IN_FLIGHT_LIMIT = 10_000;
  public static final int DEFAULT_BATCH_SIZE = 1;
  public static final int BATCH_SIZE_LIMIT = 1000;
  public static final StartOffset DEFAULT_START_OFFSET = StartOffset.EARLIEST;
  public static final int DEFAULT_PARTITIONS = 4;

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public TriggerSettings {
    requireNonNull(topic, "topic");
    requireNonNull(ordering, "ordering");
    requireNonNull(startOffset, "startOffset");
    requireNonNull(retry, "retry");
    checkTopic("topic", topic);
    if (deadLetterTopic != null) {
      checkTopic("deadLetterTopic", deadLetterTopic);
    }
    if (onSuccessTopic != null) {
      checkTopic("onSuccessTopic", onSuccessTopic);
    }
    if (consumerGroup != null && consumerGroup.isBlank()) {
      consumerGroup = null;
    }
    if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
      throw new IllegalArgumentException(
          "maxInFlight must be between 1 and " + MAX_IN_FLIGHT_LIMIT + ", was " + maxInFlight);
    }
    if (batchSize < 1 || batchSize > BATCH_SIZE_LIMIT) {
      throw new IllegalArgumentException(
          "batchSize must be between 1 and " + BATCH_SIZE_LIMIT + ", was " + batchSize);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be 1 or more, was " + partitions);
    }
  }

  /** The settings of a trigger on {@code topic} that sets nothing else. */
  public static TriggerSettings defaults(String topic) {
    return new TriggerSettings(
        topic,
        null,
        DEFAULT_ORDERING,
        DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_BATCH_SIZE,
        DEFAULT_START_OFFSET,
        RetryPolicy.DEFAULT,
        null,
        null,
        false,
        DEFAULT_PARTITIONS);
  }

  /** These settings with another consumer group (null or blank: the stable default). */
  public TriggerSettings withConsumerGroup(String group) {
    return new TriggerSettings(
        topic,
        group,
        ordering,
        maxInFlight,
        batchSize,
        startOffset,
        retry,
        deadLetterTopic,
        onSuccessTopic,
        allowDrop,
        partitions);
  }

  private static void checkTopic(String field, String topic) {
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(
          field
              + " must be a Kafka topic name (letters, digits, '.', '_', '-'), was '"
              + topic
              + "'");
    }
  }
}
