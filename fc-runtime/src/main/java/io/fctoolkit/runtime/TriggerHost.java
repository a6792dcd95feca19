package io.fctoolkit.runtime;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runtime's wiring point for triggers: the server keeps trigger specs in its durable state and
 * calls this host to run them. The Kafka trigger engine implements it; the runtime calls {@link
 * #put} after validating a spec and before persisting it (so a refused trigger is never stored),
 * {@link #put} again for every stored trigger at start-up, {@link #delete} after a delete, and
 * {@link #status} for metrics and describe.
 */
public interface TriggerHost extends AutoCloseable {

  /**
   * Starts or updates a trigger. Must not block for long (start consumers asynchronously).
   *
   * @throws io.fctoolkit.core.FcException when the trigger cannot run; it is then not stored
   */
  void put(TriggerSpec trigger);

  /** Stops a trigger; its consumer group's offsets stay in the broker. */
  void delete(String function, String trigger);

  /** The live status of a trigger, or empty if this host does not run it. */
  Optional<TriggerStatus> status(String function, String trigger);

  /**
   * Notes of the trigger's latest records that failed (dead-lettered, cut, parked or dropped),
   * oldest first; empty when this host keeps none. Must answer at once.
   */
  default List<DeadLetterNote> deadLetters(String function, String trigger) {
    return List.of();
  }

  /**
   * What keeps the triggers from running although they should (for example an embedded broker that
   * is down and being restarted), one sentence each; empty when all is well. The runtime's health
   * check reports them as "degraded". Must answer at once, without waiting for locks held by a slow
   * start.
   */
  default List<String> problems() {
    return List.of();
  }

  /**
   * The Kafka cluster ({@code host:port,...}) that triggers naming none read from: the external one
   * the runtime was given, or its embedded broker once started; empty before that. {@code fc:send}
   * produces there.
   */
  default Optional<String> bootstrapServers() {
    return Optional.empty();
  }

  /**
   * Records the triggers of a function finished, by the version that finished them: what a rollout
   * checks a canary's dead letters and retries against. Empty by default.
   */
  default Map<Integer, RecordCounts> recordCounts(String function) {
    return Map.of();
  }

  /**
   * One version's trigger records since the runtime started.
   *
   * @param finished records finished: delivered, or failed for good
   * @param retried delivery attempts at this version that were retried
   * @param failed records failed for good (dead-lettered, parked or dropped)
   */
  record RecordCounts(long finished, long retried, long failed) {}

  /** Appends the triggers' metrics in Prometheus text format; nothing by default. */
  default void renderMetrics(StringBuilder out) {}

  /** Stops every trigger (runtime shutdown). */
  @Override
  void close();

  /** Makes the trigger host of a runtime once its router is up. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param invoker the in-process entry to the alias router
     * @param stateDir the runtime's state folder (an embedded broker may keep its data there)
     * @param events where to report progress
     */
    TriggerHost create(InProcessInvoker invoker, Path stateDir, Consumer<FcEvent> events);
  }

  /** A host that runs nothing: triggers are stored and reported as {@code NOT_RUNNING}. */
  static TriggerHost none() {
    return new TriggerHost() {
      @Override
      public void put(TriggerSpec trigger) {}

      @Override
      public void delete(String function, String trigger) {}

      @Override
      public Optional<TriggerStatus> status(String function, String trigger) {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }
}
