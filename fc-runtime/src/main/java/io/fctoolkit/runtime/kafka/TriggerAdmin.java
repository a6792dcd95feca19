package io.fctoolkit.runtime.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The few cluster questions a trigger asks before it reads: which topics exist, creating missing
 * ones, and how large a record each output topic takes. Failures are {@link KafkaException}s that
 * keep Kafka's cause, so that the dispatcher can tell a fatal one from an unreachable broker.
 */
interface TriggerAdmin extends AutoCloseable {

  /** The names of the cluster's topics. */
  Set<String> topicNames();

  /** Creates the topics; one that exists already is not an error. */
  void createTopics(List<NewTopic> topics);

  /**
   * Each named topic's {@code max.message.bytes}, for the topics whose configuration could be read
   * (a cluster may refuse DescribeConfigs; the producer's limit applies then).
   */
  Map<String, Integer> maxMessageBytes(Collection<String> topics);

  @Override
  void close();

  /** An admin on a real cluster. */
  static TriggerAdmin kafka(Properties properties, String bootstrapServers) {
    Admin admin = Admin.create(properties);
    return new TriggerAdmin() {
      @Override
      public Set<String> topicNames() {
        return await(admin.listTopics().names(), 5);
      }

      @Override
      public void createTopics(List<NewTopic> topics) {
        try {
          await(admin.createTopics(topics).all(), 30);
        } catch (KafkaException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }

      @Override
      public Map<String, Integer> maxMessageBytes(Collection<String> topics) {
        Map<String, Integer> limits = new HashMap<>();
        for (String topic : topics) {
          ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
          try {
            Config config = await(admin.describeConfigs(List.of(resource)).all(), 5).get(resource);
            ConfigEntry entry =
                config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
              limits.put(topic, Integer.parseInt(entry.value()));
            }
          } catch (KafkaException | NumberFormatException e) {
            // Not knowing the topic's limit is not an error: the producer's limit still applies,
            // and a record the broker refuses is cut or parked when its write fails.
          }
        }
        return limits;
      }

      @Override
      public void close() {
        admin.close(TriggerEngine.ADMIN_CLOSE);
      }

      private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, int seconds) {
        try {
          return future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new KafkaException("cannot reach Kafka at " + bootstrapServers, e.getCause());
        } catch (TimeoutException e) {
          throw new KafkaException(
              "cannot reach Kafka at " + bootstrapServers + " (no answer in time)", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaException("interrupted", e);
        }
      }
    };
  }
}
