package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A Kafka trigger: records of a topic become invocations of a function's alias.
 *
 * <p>The consumer group is stable across version and alias changes, so offsets are never lost or
 * re-read when code changes. Changing {@link #consumerGroup()} or {@link #topic()} resets where the
 * trigger reads, and plans flag it.
 *
 * @param name the trigger's name, unique per function
 * @param function the function it invokes
 * @param alias the alias it invokes
 * @param topic the source topic
 * @param consumerGroup the consumer group id; {@link #defaultGroup(String, String)} if not given
 * @param ordering which records may be in flight together
 * @param maxInFlight most records in flight for this trigger at once
 * @param batchSize records per invocation (1 by default)
 * @param startOffset where a new consumer group starts
 * @param retry how failed deliveries are retried
 * @param deadLetterTopic where records go after the last failed attempt, or null
 * @param onSuccessTopic where 2xx response bodies go, keyed like the source record, or null
 * @param allowDrop whether a record may be dropped after its last attempt when there is no
 *     dead-letter topic; false by default, so the default never drops
 * @param bootstrapServers the Kafka cluster, or null for the environment's (embedded) broker
 * @param partitions partitions to create the topic with when it does not exist
 */
public record TriggerSpec(
    String name,
    String function,
    String alias,
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
    String bootstrapServers,
    int partitions) {

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,40}[a-z0-9])?");

  public TriggerSpec {
    requireNonNull(name, "name");
    requireNonNull(function, "function");
    requireNonNull(alias, "alias");
    requireNonNull(topic, "topic");
    requireNonNull(ordering, "ordering");
    requireNonNull(startOffset, "startOffset");
    requireNonNull(retry, "retry");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "trigger name must be 1-42 lower case letters, digits or '-', was '" + name + "'");
    }
    FunctionConfig.checkName(function);
    Alias.checkName(alias);
    checkTopic("topic", topic);
    if (deadLetterTopic != null) {
      checkTopic("deadLetterTopic", deadLetterTopic);
    }
    if (onSuccessTopic != null) {
      checkTopic("onSuccessTopic", onSuccessTopic);
    }
    if (consumerGroup == null || consumerGroup.isBlank()) {
      consumerGroup = defaultGroup(function, name);
    }
    if (maxInFlight < 1 || maxInFlight > 10_000) {
      throw new IllegalArgumentException(
          "maxInFlight must be between 1 and 10000, was " + maxInFlight);
    }
    if (batchSize < 1 || batchSize > 1000) {
      throw new IllegalArgumentException("batchSize must be between 1 and 1000, was " + batchSize);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be 1 or more, was " + partitions);
    }
    if (deadLetterTopic == null && !allowDrop) {
      // The default never drops: without a dead-letter topic the last failure has nowhere to go.
      throw new IllegalArgumentException(
          "trigger '"
              + name
              + "' has no deadLetterTopic; set one, or set allowDrop: true to accept that records"
              + " failing every attempt are dropped");
    }
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

  /** The stable consumer group of a trigger: {@code fc-<function>-<trigger>}. */
  public static String defaultGroup(String function, String trigger) {
    return "fc-" + function + "-" + trigger;
  }

  public static Builder builder(String name, String function, String alias, String topic) {
    return new Builder(name, function, alias, topic);
  }

  public Builder toBuilder() {
    return new Builder(name, function, alias, topic)
        .consumerGroup(consumerGroup)
        .ordering(ordering)
        .maxInFlight(maxInFlight)
        .batchSize(batchSize)
        .startOffset(startOffset)
        .retry(retry)
        .deadLetterTopic(deadLetterTopic)
        .onSuccessTopic(onSuccessTopic)
        .allowDrop(allowDrop)
        .bootstrapServers(bootstrapServers)
        .partitions(partitions);
  }

  /** Builds a {@link TriggerSpec} with defaults for the optional fields. */
  public static final class Builder {
    private final String name;
    private final String function;
    private final String alias;
    private final String topic;
    private String consumerGroup;
    private Ordering ordering = Ordering.KEY;
    private int maxInFlight = 100;
    private int batchSize = 1;
    private StartOffset startOffset = StartOffset.EARLIEST;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private String deadLetterTopic;
    private String onSuccessTopic;
    private boolean allowDrop;
    private String bootstrapServers;
    private int partitions = 4;

    private Builder(String name, String function, String alias, String topic) {
      this.name = name;
      this.function = function;
      this.alias = alias;
      this.topic = topic;
    }

    public Builder consumerGroup(String consumerGroup) {
      this.consumerGroup = consumerGroup;
      return this;
    }

    public Builder ordering(Ordering ordering) {
      this.ordering = ordering;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder startOffset(StartOffset startOffset) {
      this.startOffset = startOffset;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder deadLetterTopic(String deadLetterTopic) {
      this.deadLetterTopic = deadLetterTopic;
      return this;
    }

    public Builder onSuccessTopic(String onSuccessTopic) {
      this.onSuccessTopic = onSuccessTopic;
      return this;
    }

    public Builder allowDrop(boolean allowDrop) {
      this.allowDrop = allowDrop;
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public TriggerSpec build() {
      return new TriggerSpec(
          name,
          function,
          alias,
          topic,
          consumerGroup,
          ordering,
          maxInFlight,
          batchSize,
          startOffset,
          retry,
          deadLetterTopic,
          onSuccessTopic,
          allowDrop,
          bootstrapServers,
          partitions);
    }
  }
}
