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

  /** Defaults: no cluster, topics created, every alias accepted, a random instance id. */
  public static TriggerEngineConfig defaults(String bootstrapServers) {
    return new TriggerEngineConfig(
        bootstrapServers,
        true,
        (function, alias) -> true,
        "default",
        UUID.randomUUID().toString(),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofMillis(100),
        DispatchListener.NONE,
        e -> {},
        Map.of());
  }

  public TriggerEngineConfig withCreateTopics(boolean value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        value,
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

  public TriggerEngineConfig withAliasExists(BiPredicate<String, String> value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        createTopics,
        value,
        namespace,
        instanceId,
        drainTimeout,
        deliveryTimeout,
        commitInterval,
        listener,
        events,
        clientProperties);
  }

  public TriggerEngineConfig withNamespace(String value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        createTopics,
        aliasExists,
        value,
        instanceId,
        drainTimeout,
        deliveryTimeout,
        commitInterval,
        listener,
        events,
        clientProperties);
  }

  public TriggerEngineConfig withInstanceId(String value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        createTopics,
        aliasExists,
        namespace,
        value,
        drainTimeout,
        deliveryTimeout,
        commitInterval,
        listener,
        events,
        clientProperties);
  }

  public TriggerEngineConfig withDrainTimeout(Duration value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        createTopics,
        aliasExists,
        namespace,
        instanceId,
        value,
        deliveryTimeout,
        commitInterval,
        listener,
        events,
        clientProperties);
  }

  public TriggerEngineConfig withDeliveryTimeout(Duration value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        createTopics,
        aliasExists,
        namespace,
        instanceId,
        drainTimeout,
        value,
        commitInterval,
        listener,
        events,
        clientProperties);
  }

  public TriggerEngineConfig withListener(DispatchListener value) {
    return new TriggerEngineConfig(
        bootstrapServers,
        createTopics,
        aliasExists,
        namespace,
        instanceId,
        drainTimeout,
        deliveryTimeout,
        commitInterval,
        value,
        events,
        clientProperties);
  }

  public TriggerEngineConfig withEvents(Consumer<FcEvent> value) {
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
        value,
        clientProperties);
  }

  public TriggerEngineConfig withClientProperties(Map<String, String> value) {
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
        value);
  }
}
