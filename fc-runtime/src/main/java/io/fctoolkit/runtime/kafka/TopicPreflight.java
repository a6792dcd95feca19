package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Checks, before each session, that every topic the trigger reads or writes exists, creates the
 * missing ones where the runtime may (its embedded broker), and learns how large a record each
 * output topic takes. Without the check a trigger put while the broker did not answer (a loaded
 * machine) would read its source topic but block every transaction on a result or dead-letter topic
 * that does not exist: a stall, not an error.
 */
final class TopicPreflight {

  private final TriggerSpec spec;
  private final TriggerEngineConfig config;
  private final String bootstrapServers;
  private final int maxRequestSize;

  TopicPreflight(
      TriggerSpec spec, TriggerEngineConfig config, String bootstrapServers, int maxRequestSize) {
    this.spec = requireNonNull(spec, "spec");
    this.config = requireNonNull(config, "config");
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    this.maxRequestSize = maxRequestSize;
  }

  /**
   * Checks and creates the topics; the size limits of the output topics.
   *
   * @throws TopicMissingException if a topic is missing and may not be created
   */
  OutputLimits check(TriggerAdmin admin) {
    Set<String> existing = admin.topicNames();
    List<String> missing = TriggerTopics.missing(spec, existing);
    if (!missing.isEmpty()) {
      if (!TriggerTopics.mayCreate(spec, config)) {
        throw new TopicMissingException(
            "topic(s) "
                + missing
                + " do not exist on "
                + bootstrapServers
                + "; create them there (trigger '"
                + spec.name()
                + "' needs them)");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String topic : missing) {
        topics.add(new NewTopic(topic, spec.partitions(), (short) 1));
      }
      admin.createTopics(topics);
      config.events().accept(FcEvent.info("Trigger " + spec.name() + " created topics " + missing));
    }
    List<String> outputs = new ArrayList<>();
    if (spec.onSuccessTopic() != null) {
      outputs.add(spec.onSuccessTopic());
    }
    if (spec.deadLetterTopic() != null) {
      outputs.add(spec.deadLetterTopic());
    }
    return outputs.isEmpty()
        ? OutputLimits.of(maxRequestSize)
        : new OutputLimits(maxRequestSize, admin.maxMessageBytes(outputs));
  }

  /** A topic the trigger needs does not exist (yet). */
  static final class TopicMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TopicMissingException(String message) {
      super(message);
    }
  }
}
