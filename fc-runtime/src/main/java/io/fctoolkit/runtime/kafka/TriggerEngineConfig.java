package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * How a {@link TriggerEngine} connects and behaves.
 *
 * @param bootstrapServers the environment's cluster for triggers that name none, or null
 * @param createTopics whether missing topics are created (true for the embedded broker); otherwise
 *     a trigger naming a missing topic is rejected
 * @param aliasExists whether a function's alias exists (function, alias); triggers naming a missing
 *     alias are rejected
 * @param namespace the namespace in {@code ce-source}, as Knative would name it
 * @param instanceId this runtime's stable id, part of the transactional ids, so that a restarted
 *     runtime fences and aborts its crashed predecessor's open transactions at once
 * @param drainTimeout how long in-flight records may take to finish on rebalance, update or close
 * @param deliveryTimeout how long one attempt may take before it counts as a (retriable) timeout
 * @param commitInterval how often progress is committed while records flow
 * @param listener observes deliveries
 * @param events progress for the runtime's log
 * @param clientProperties extra Kafka client properties (security settings of an external cluster)
 */
public record TriggerEngineConfig(
    String bootstrapServers,
    boolean createTopics,
    BiPredicate<String, String> aliasExists,
    String namespace,
    String instanceId,
    Duration drainTimeout,
    Duration deliveryTimeout,
    Duration commitInterval,
    DispatchListener listener,
    Consumer<FcEvent> events,
    Map<String, String> clientProperties) {

  public TriggerEngineConfig {
    requireNonNull(aliasExists, "aliasExists");
    requireNonNull(namespace, "namespace");
    requireNonNull(instanceId, "instanceId");
    requireNonNull(drainTimeout, "drainTimeout");
    requireNonNull(deliveryTimeout, "deliveryTimeout");
    requireNonNull(commitInterval, "commitInterval");
    requireNonNull(listener, "listener");
    requireNonNull(events, "events");
    clientProperties = Map.copyOf(clientProperties);
    if (!instanceId.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException(
          "instanceId must be 1-100 letters, digits, '.', '_' or '-', was '" + instanceId + "'");
    }
  }

  /** Defaults: topics created, every alias accepted, a random instance id. */
  public static TriggerEngineConfig defaults(String bootstrapServers) {
    return builder(bootstrapServers).build();
  }

  /** A builder starting from the {@link #defaults(String) defaults}. */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** Builds a {@link TriggerEngineConfig}; each setter names the component it sets. */
  public static final class Builder {
    private final String bootstrapServers;
    private boolean createTopics = true;
    private BiPredicate<String, String> aliasExists = (function, alias) -> true;
    private String namespace = "default";
    private String instanceId = UUID.randomUUID().toString();
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Duration deliveryTimeout = Duration.ofMinutes(5);
    private Duration commitInterval = Duration.ofMillis(100);
    private DispatchListener listener = DispatchListener.NONE;
    private Consumer<FcEvent> events = e -> {};
    private Map<String, String> clientProperties = Map.of();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public Builder createTopics(boolean value) {
      this.createTopics = value;
      return this;
    }

    public Builder aliasExists(BiPredicate<String, String> value) {
      this.aliasExists = value;
      return this;
    }

    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    public Builder instanceId(String value) {
      this.instanceId = value;
      return this;
    }

    public Builder drainTimeout(Duration value) {
      this.drainTimeout = value;
      return this;
    }

    public Builder deliveryTimeout(Duration value) {
      this.deliveryTimeout = value;
      return this;
    }

    public Builder commitInterval(Duration value) {
      this.commitInterval = value;
      return this;
    }

    public Builder listener(DispatchListener value) {
      this.listener = value;
      return this;
    }

    public Builder events(Consumer<FcEvent> value) {
      this.events = value;
      return this;
    }

    public Builder clientProperties(Map<String, String> value) {
      this.clientProperties = value;
      return this;
    }

    /** The config; validated by its constructor. */
    public TriggerEngineConfig build() {
      return new TriggerEngineConfig(
          bootstrapServers,
          createTopics,
          aliasExists,
          namespace,
          instanceId,
          drainTimeout,
          deliveryTimeout,
          commitInterval,
          listener,
          events,
          clientProperties);
    }
  }
}
