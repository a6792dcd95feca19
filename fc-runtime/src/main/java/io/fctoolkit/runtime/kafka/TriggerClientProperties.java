package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.TriggerSpec;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The settings of one trigger's consumer, transactional producer and admin client. */
final class TriggerClientProperties {

  /** The producer's default {@code max.request.size}. */
  static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

  private final TriggerSpec spec;
  private final String bootstrapServers;
  private final TriggerEngineConfig config;

  TriggerClientProperties(TriggerSpec spec, String bootstrapServers, TriggerEngineConfig config) {
    this.spec = requireNonNull(spec, "spec");
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    this.config = requireNonNull(config, "config");
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The largest record the producer accepts ({@code max.request.size}, from the engine's client
   * properties or Kafka's default).
   */
  int maxRequestSize() {
    String value = config.clientProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    if (value == null) {
      return DEFAULT_MAX_REQUEST_SIZE;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "client property "
              + ProducerConfig.MAX_REQUEST_SIZE_CONFIG
              + " is '"
              + value
              + "', not a number of bytes; fix it or remove it",
          e);
    }
  }

  Properties admin() {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"));
    return p;
  }

  Properties consumer() {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, spec.consumerGroup());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("consumer"));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        spec.startOffset().name().toLowerCase(Locale.ROOT));
    // Results written by other triggers' aborted transactions must not trigger anything.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        Integer.toString(Math.min(500, spec.maxInFlight())));
    // Cooperative rebalancing moves only the partitions that change owner, so members keep
    // delivering the rest while one drains.
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    // Static membership: a runtime restarted after a crash takes its partitions back at once
    // instead of waiting for its dead predecessor's session to time out. Graceful closes leave
    // the group explicitly (see TriggerSession.closeClients).
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, clientId("member"));
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
    return p;
  }

  Properties producer() {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId("producer"));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Stable per runtime and trigger: a restarted runtime aborts its crashed predecessor's open
    // transaction at once instead of leaving readers stuck until it times out.
    p.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        "fc-" + spec.consumerGroup() + "-" + spec.topic() + "-" + config.instanceId());
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private String clientId(String role) {
    return "fc-" + spec.function() + "-" + spec.name() + "-" + role + "-" + config.instanceId();
  }
}
