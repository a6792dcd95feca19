package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.StartOffset;
import io.fctoolkit.core.TriggerSpec;

/**
 * A Kafka trigger as a function file declares it: everything but the alias it invokes (bound per
 * environment) and the Kafka cluster (the environment's).
 *
 * @param name the trigger's name, unique per function
 * @param topic the source topic
 * @param consumerGroup the consumer group, or null for the stable default
 * @param ordering which records may be in flight together
 * @param maxInFlight most records in flight at once
 * @param batchSize records per invocation
 * @param startOffset where a new consumer group starts
 * @param retry how failed deliveries are retried
 * @param deadLetterTopic where records go after the last failed attempt, or null
 * @param onSuccessTopic where 2xx response bodies go, or null
 * @param allowDrop whether a record may be dropped when there is no dead-letter topic
 * @param partitions partitions to create the topic with when it does not exist
 * @param alias the alias to invoke when an environment does not bind one, or null
 */
public record TriggerDecl(
    String name,
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
    int partitions,
    String alias) {

  public TriggerDecl {
    requireNonNull(name, "name");
    requireNonNull(topic, "topic");
    requireNonNull(ordering, "ordering");
    requireNonNull(startOffset, "startOffset");
    requireNonNull(retry, "retry");
  }

  /** The trigger as a platform receives it, bound to an alias and a Kafka cluster. */
  public TriggerSpec toSpec(String function, String boundAlias, String bootstrapServers) {
    return new TriggerSpec(
        name,
        function,
        boundAlias,
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
