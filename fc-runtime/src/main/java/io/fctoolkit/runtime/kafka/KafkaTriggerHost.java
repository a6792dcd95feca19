package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.DeadLetterNote;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.TriggerHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs the local runtime's triggers: a {@link TriggerEngine} on the environment's Kafka cluster
 * ({@value #ENV_BOOTSTRAP}), or on an {@link EmbeddedKafka} broker with its data in the state
 * folder when the environment names none. The embedded broker starts with the first trigger.
 */
public final class KafkaTriggerHost implements TriggerHost {

  /** The environment variable naming an external cluster; unset means the embedded broker. */
  public static final String ENV_BOOTSTRAP = "FC_KAFKA_BOOTSTRAP_SERVERS";

  private final InProcessInvoker invoker;
  private final Path stateDir;
  private final Consumer<FcEvent> events;
  private final String externalBootstrap;

  /** The state of a trigger on the embedded broker while that broker is down and restarting. */
  public static final String WAITING_FOR_BROKER = "WAITING_FOR_BROKER";

  // Volatile: problems() reads it without the lock, which put() holds while the broker starts.
  private volatile EmbeddedKafka embedded;
  private TriggerEngine engine;

  private KafkaTriggerHost(
      InProcessInvoker invoker, Path stateDir, Consumer<FcEvent> events, Map<String, String> env) {
    this.invoker = requireNonNull(invoker, "invoker");
    this.stateDir = requireNonNull(stateDir, "stateDir");
    this.events = requireNonNull(events, "events");
    String bootstrap = env.get(ENV_BOOTSTRAP);
    this.externalBootstrap = bootstrap == null || bootstrap.isBlank() ? null : bootstrap.trim();
  }

  /** A factory for the runtime, reading the cluster from {@code env}, not from System.getenv(). */
  public static TriggerHost.Factory factory(Map<String, String> env) {
    Map<String, String> copy = Map.copyOf(env);
    return (invoker, stateDir, events) -> new KafkaTriggerHost(invoker, stateDir, events, copy);
  }

  @Override
  public synchronized void put(TriggerSpec trigger) {
    engine().put(trigger);
  }

  @Override
  public synchronized void delete(String function, String trigger) {
    if (engine != null) {
      engine.delete(function, trigger);
    }
  }

  @Override
  public synchronized Optional<TriggerStatus> status(String function, String trigger) {
    if (engine == null) {
      return Optional.empty();
    }
    Optional<TriggerSpec> spec = engine.get(function, trigger);
    if (spec.isEmpty()) {
      return Optional.empty();
    }
    TriggerStatus status = engine.status(function, trigger);
    Optional<String> brokerDown = brokerProblem();
    if (brokerDown.isPresent() && onEmbeddedBroker(spec.get())) {
      // The dispatcher may still say RUNNING: its clients only notice a dead broker on timeouts.
      return Optional.of(
          new TriggerStatus(
              status.trigger(), WAITING_FOR_BROKER, brokerDown.get(), status.partitions()));
    }
    return Optional.of(status);
  }

  @Override
  public synchronized Map<Integer, RecordCounts> recordCounts(String function) {
    return engine == null ? Map.of() : engine.recordCounts(function);
  }

  @Override
  public synchronized List<DeadLetterNote> deadLetters(String function, String trigger) {
    return engine == null ? List.of() : engine.deadLetters(function, trigger);
  }

  @Override
  public List<String> problems() {
    return brokerProblem().map(List::of).orElse(List.of());
  }

  @Override
  public void renderMetrics(StringBuilder out) {
    TriggerEngine current;
    synchronized (this) {
      current = engine;
    }
    if (current != null) {
      current.renderMetrics(out);
    }
    EmbeddedKafka broker = embedded;
    if (broker != null) {
      out.append("# HELP fc_embedded_kafka_up 1 if the embedded Kafka broker serves, 0 while it is")
          .append(" down and being restarted.\n")
          .append("# TYPE fc_embedded_kafka_up gauge\n")
          .append("fc_embedded_kafka_up ")
          .append(broker.problem().isPresent() ? 0 : 1)
          .append('\n')
          .append("# HELP fc_embedded_kafka_restarts_total Restarts of the embedded Kafka broker")
          .append(" after it exited.\n")
          .append("# TYPE fc_embedded_kafka_restarts_total counter\n")
          .append("fc_embedded_kafka_restarts_total ")
          .append(broker.restarts())
          .append('\n');
    }
  }

  /** The embedded broker, once the first trigger has started it (fault tests kill it). */
  public Optional<EmbeddedKafka> embeddedKafka() {
    return Optional.ofNullable(embedded);
  }

  private Optional<String> brokerProblem() {
    EmbeddedKafka broker = embedded;
    return broker == null ? Optional.empty() : broker.problem();
  }

  private boolean onEmbeddedBroker(TriggerSpec spec) {
    EmbeddedKafka broker = embedded;
    return broker != null
        && (spec.bootstrapServers() == null
            || spec.bootstrapServers().isBlank()
            || spec.bootstrapServers().equals(broker.bootstrapServers()));
  }

  /** The cluster triggers use by default: the external one, or the embedded broker once started. */
  @Override
  public synchronized Optional<String> bootstrapServers() {
    if (externalBootstrap != null) {
      return Optional.of(externalBootstrap);
    }
    return embedded == null ? Optional.empty() : Optional.of(embedded.bootstrapServers());
  }

  @Override
  public synchronized void close() {
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      if (embedded != null) {
        embedded.stop();
      }
    }
  }

  private TriggerEngine engine() {
    if (engine != null) {
      return engine;
    }
    String bootstrap = externalBootstrap;
    if (bootstrap == null) {
      // Supervised: restarted on the same port if it dies, so the triggers' clients reconnect.
      EmbeddedKafka broker =
          EmbeddedKafka.builder(stateDir.resolve("kafka")).events(events).build().start();
      embedded = broker;
      bootstrap = broker.bootstrapServers();
    }
    engine =
        new TriggerEngine(
            invoker,
            TriggerEngineConfig.builder(bootstrap)
                // Topics are created only on the runtime's own broker.
                .createTopics(externalBootstrap == null)
                .instanceId(instanceId())
                .events(events)
                .build());
    return engine;
  }

  /** Stable across restarts, so a restarted runtime fences its crashed predecessor's clients. */
  private String instanceId() {
    Path file = stateDir.resolve("kafka-instance-id");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(stateDir);
        Files.writeString(
            file, "rt-" + UUID.randomUUID().toString().substring(0, 13), StandardCharsets.UTF_8);
      }
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the runtime's Kafka instance id in " + file, e);
    }
  }
}
