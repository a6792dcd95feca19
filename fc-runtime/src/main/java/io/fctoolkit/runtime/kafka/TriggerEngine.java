package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.TriggerHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Owns the runtime's Kafka triggers: validates them, creates their topics on the embedded broker,
 * runs one {@link KafkaTriggerDispatcher} per trigger, and reports their status and metrics.
 *
 * <p>Updating a trigger drains and commits the old dispatcher before the new one starts with the
 * same consumer group, so offsets carry over; a changed group or topic starts where the new group's
 * start offset says.
 */
public final class TriggerEngine implements AutoCloseable {

  static final java.time.Duration ADMIN_CLOSE = java.time.Duration.ofSeconds(5);

  private final InProcessInvoker invoker;
  private final TriggerEngineConfig config;
  private final Map<String, KafkaTriggerDispatcher> dispatchers = new TreeMap<>();
  private boolean closed;

  public TriggerEngine(InProcessInvoker invoker, TriggerEngineConfig config) {
    this.invoker = requireNonNull(invoker, "invoker");
    this.config = requireNonNull(config, "config");
  }

  /**
   * Creates or updates a trigger. Nothing changes if the trigger is invalid, names a missing alias,
   * or names a missing topic on a cluster where topics are not created. An unreachable cluster is
   * not an error here: the trigger is kept and its status says why it is not running.
   *
   * @throws InvalidRequestException for values this runtime cannot serve
   * @throws NotFoundException for a missing alias or topic
   */
  public synchronized TriggerSpec put(TriggerSpec spec) {
    requireNonNull(spec, "spec");
    if (closed) {
      throw new IllegalStateException("trigger engine is closed");
    }
    String bootstrap = bootstrapFor(spec);
    if (spec.batchSize() != 1) {
      throw new InvalidRequestException(
          "triggers." + spec.name() + ".batchSize",
          "batchSize " + spec.batchSize() + " is not supported by the local runtime",
          "remove batchSize or set it to 1 (one record per invocation, as Knative's KafkaSource)");
    }
    if (!config.aliasExists().test(spec.function(), spec.alias())) {
      throw new NotFoundException(
          "alias",
          spec.function() + "/" + spec.alias(),
          "create the alias before the trigger that targets it, or fix triggers."
              + spec.name()
              + ".alias");
    }
    String key = key(spec.function(), spec.name());
    KafkaTriggerDispatcher old = dispatchers.get(key);
    if (old != null && old.spec().equals(spec) && !old.failed()) {
      // Unchanged (every deploy applies its triggers again): the running dispatcher checks its
      // topics itself before each consumer session, so there is nothing to ask the cluster. A
      // FAILED one is started anew: putting it again is how the user says the cause is fixed.
      return spec;
    }
    ensureTopics(spec, bootstrap);
    if (old != null) {
      config
          .events()
          .accept(FcEvent.info("Updating trigger " + key + "; draining the running dispatcher"));
      old.close();
      dispatchers.remove(key);
      if (!old.spec().consumerGroup().equals(spec.consumerGroup())
          || !old.spec().topic().equals(spec.topic())) {
        config
            .events()
            .accept(
                FcEvent.warn(
                    "Trigger "
                        + key
                        + " now reads "
                        + spec.topic()
                        + " with group "
                        + spec.consumerGroup()
                        + ": it starts at "
                        + spec.startOffset()
                        + " unless that group has offsets"));
      }
    }
    KafkaTriggerDispatcher dispatcher =
        new KafkaTriggerDispatcher(spec, bootstrap, invoker, config);
    dispatchers.put(key, dispatcher);
    dispatcher.start();
    config.events().accept(FcEvent.info("Trigger " + key + " reads " + spec.topic()));
    return spec;
  }

  /** Stops and removes a trigger after its in-flight records finish; false if there was none. */
  public synchronized boolean delete(String function, String trigger) {
    KafkaTriggerDispatcher dispatcher = dispatchers.remove(key(function, trigger));
    if (dispatcher == null) {
      return false;
    }
    dispatcher.close();
    return true;
  }

  /** The trigger's spec, if it exists. */
  public synchronized Optional<TriggerSpec> get(String function, String trigger) {
    return Optional.ofNullable(dispatchers.get(key(function, trigger)))
        .map(KafkaTriggerDispatcher::spec);
  }

  /** All triggers, or those of one function when {@code function} is not null. */
  public synchronized List<TriggerSpec> list(String function) {
    List<TriggerSpec> specs = new ArrayList<>();
    for (KafkaTriggerDispatcher d : dispatchers.values()) {
      if (function == null || d.spec().function().equals(function)) {
        specs.add(d.spec());
      }
    }
    return specs;
  }

  /**
   * The live status of a trigger.
   *
   * @throws NotFoundException if there is no such trigger
   */
  public synchronized TriggerStatus status(String function, String trigger) {
    KafkaTriggerDispatcher d = dispatchers.get(key(function, trigger));
    if (d == null) {
      throw new NotFoundException("trigger", function + "/" + trigger, null);
    }
    return d.status();
  }

  /**
   * An internal one-line snapshot of a trigger's dispatcher for stall reports: per partition owned,
   * paused, waiting, in flight, committable and committed offsets, and the transaction in progress.
   * Not a stable format.
   */
  synchronized String describe(String function, String trigger) {
    KafkaTriggerDispatcher d = dispatchers.get(key(function, trigger));
    return d == null ? "no trigger " + key(function, trigger) : d.describe();
  }

  /**
   * The records every trigger of a function finished, summed per version (see {@link
   * io.fctoolkit.runtime.TriggerHost#recordCounts}).
   */
  public synchronized Map<Integer, TriggerHost.RecordCounts> recordCounts(String function) {
    Map<Integer, long[]> sums = new TreeMap<>();
    for (KafkaTriggerDispatcher d : dispatchers.values()) {
      if (!d.spec().function().equals(function)) {
        continue;
      }
      d.versionCounters()
          .forEach(
              (version, c) -> {
                long[] sum = sums.computeIfAbsent(version, v -> new long[3]);
                long failed = c.deadLettered.sum();
                sum[0] += c.delivered.sum() + failed;
                sum[1] += c.retried.sum();
                sum[2] += failed;
              });
    }
    Map<Integer, TriggerHost.RecordCounts> counts = new TreeMap<>();
    sums.forEach((v, s) -> counts.put(v, new TriggerHost.RecordCounts(s[0], s[1], s[2])));
    return counts;
  }

  /** Notes of a trigger's latest failed records, oldest first; empty for an unknown trigger. */
  public synchronized List<io.fctoolkit.runtime.DeadLetterNote> deadLetters(
      String function, String trigger) {
    KafkaTriggerDispatcher d = dispatchers.get(key(function, trigger));
    return d == null ? List.of() : d.deadLetters();
  }

  /** The status of every trigger of a function. */
  public synchronized List<TriggerStatus> statuses(String function) {
    List<TriggerStatus> list = new ArrayList<>();
    for (KafkaTriggerDispatcher d : dispatchers.values()) {
      if (d.spec().function().equals(function)) {
        list.add(d.status());
      }
    }
    return list;
  }

  /** Stops every trigger, letting in-flight records finish and committing their offsets. */
  @Override
  public synchronized void close() {
    closed = true;
    List<KafkaTriggerDispatcher> all = new ArrayList<>(dispatchers.values());
    dispatchers.clear();
    // Close in parallel: each waits up to drainTimeout for its own records.
    List<Thread> closers = new ArrayList<>();
    for (KafkaTriggerDispatcher d : all) {
      Thread t = new Thread(d::close, "fc-trigger-close");
      t.start();
      closers.add(t);
    }
    for (Thread t : closers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Appends the triggers' metrics in Prometheus text format (0.0.4) for the runtime's {@code
   * /metrics}: lag, offsets and in-flight per partition; delivered, retried and dead-lettered
   * records per partition and per version.
   */
  public void renderMetrics(StringBuilder out) {
    List<KafkaTriggerDispatcher> all;
    synchronized (this) {
      all = new ArrayList<>(dispatchers.values());
    }
    all.sort(Comparator.comparing(d -> key(d.spec().function(), d.spec().name())));
    renderMetrics(out, all);
  }

  /** The metrics of the given dispatchers, in their order. */
  static void renderMetrics(StringBuilder out, List<KafkaTriggerDispatcher> all) {
    List<TriggerStatus> statuses = new ArrayList<>();
    for (KafkaTriggerDispatcher d : all) {
      statuses.add(d.status());
    }
    family(out, "fc_trigger_up", "gauge", "1 if the trigger is consuming, 0 otherwise.");
    for (int i = 0; i < all.size(); i++) {
      sample(
          out,
          "fc_trigger_up",
          labels(all.get(i), null),
          "RUNNING".equals(statuses.get(i).state()) ? 1 : 0);
    }
    family(
        out,
        "fc_trigger_failed",
        "gauge",
        "1 if the trigger stopped on an error no retry can fix (its status says why), 0 otherwise.");
    for (int i = 0; i < all.size(); i++) {
      sample(
          out,
          "fc_trigger_failed",
          labels(all.get(i), null),
          TriggerStatusBoard.FAILED.equals(statuses.get(i).state()) ? 1 : 0);
    }
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_committed_offset",
        "gauge",
        "The consumer group's committed offset.",
        PartitionStatus::committedOffset);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_end_offset",
        "gauge",
        "The partition's end offset.",
        PartitionStatus::endOffset);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_lag",
        "gauge",
        "Records not yet committed: end offset minus committed offset.",
        PartitionStatus::lag);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_in_flight",
        "gauge",
        "Records being delivered now.",
        PartitionStatus::inFlight);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_delivered_total",
        "counter",
        "Records delivered with a 2xx answer.",
        PartitionStatus::delivered);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_retries_total",
        "counter",
        "Delivery attempts that were retried.",
        PartitionStatus::retried);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_dead_letters_total",
        "counter",
        "Records sent to the dead-letter topic.",
        PartitionStatus::deadLettered);
    partitionFamily(
        out,
        all,
        statuses,
        "fc_trigger_parked_total",
        "counter",
        "Records whose outcome could be written nowhere: passed, recorded and named in the status.",
        PartitionStatus::parked);
    versionFamily(
        out,
        all,
        "fc_trigger_version_delivered_total",
        "Records delivered, by the version that served them.",
        c -> c.delivered.sum());
    versionFamily(
        out,
        all,
        "fc_trigger_version_failed_total",
        "Records that failed every attempt, by the version that failed them last.",
        c -> c.deadLettered.sum());
    family(
        out,
        "fc_trigger_dropped_total",
        "counter",
        "Records dropped after their last attempt (only with allowDrop).");
    for (KafkaTriggerDispatcher d : all) {
      sample(out, "fc_trigger_dropped_total", labels(d, null), d.dropped());
    }
    family(
        out,
        "fc_trigger_connect_failures_total",
        "counter",
        "Failed attempts to connect to the trigger's Kafka cluster.");
    for (KafkaTriggerDispatcher d : all) {
      sample(out, "fc_trigger_connect_failures_total", labels(d, null), d.connectFailures());
    }
  }

  /** The metrics as text; see {@link #renderMetrics(StringBuilder)}. */
  public String renderMetrics() {
    StringBuilder out = new StringBuilder();
    renderMetrics(out);
    return out.toString();
  }

  private interface PartitionValue {
    long of(PartitionStatus status);
  }

  private static void partitionFamily(
      StringBuilder out,
      List<KafkaTriggerDispatcher> all,
      List<TriggerStatus> statuses,
      String name,
      String type,
      String help,
      PartitionValue value) {
    family(out, name, type, help);
    for (int i = 0; i < all.size(); i++) {
      for (PartitionStatus p : statuses.get(i).partitions()) {
        sample(out, name, labels(all.get(i), "partition=\"" + p.partition() + "\""), value.of(p));
      }
    }
  }

  /** A per-version counter family: one sample per trigger and version, versions in order. */
  private static void versionFamily(
      StringBuilder out,
      List<KafkaTriggerDispatcher> all,
      String name,
      String help,
      java.util.function.ToLongFunction<TriggerStatusBoard.Counters> value) {
    family(out, name, "counter", help);
    for (KafkaTriggerDispatcher d : all) {
      new TreeMap<>(d.versionCounters())
          .forEach(
              (v, c) ->
                  sample(out, name, labels(d, "version=\"" + v + "\""), value.applyAsLong(c)));
    }
  }

  private static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
  }

  private static String labels(KafkaTriggerDispatcher d, String extra) {
    String base =
        "function=\""
            + escape(d.spec().function())
            + "\",trigger=\""
            + escape(d.spec().name())
            + "\",topic=\""
            + escape(d.spec().topic())
            + "\"";
    return extra == null ? base : base + "," + extra;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String key(String function, String trigger) {
    return function + "/" + trigger;
  }

  private String bootstrapFor(TriggerSpec spec) {
    String bootstrap =
        spec.bootstrapServers() != null ? spec.bootstrapServers() : config.bootstrapServers();
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new InvalidRequestException(
          "triggers." + spec.name() + ".bootstrapServers",
          "no Kafka cluster is configured for this trigger",
          "set bootstrapServers on the trigger or the environment, or let the runtime start its"
              + " embedded broker");
    }
    return bootstrap;
  }

  private void ensureTopics(TriggerSpec spec, String bootstrap) {
    Set<String> needed = TriggerTopics.needed(spec);
    boolean create = TriggerTopics.mayCreate(spec, config);
    Properties props = new Properties();
    props.putAll(config.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    Admin admin = Admin.create(props);
    try {
      Set<String> existing;
      try {
        existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        config
            .events()
            .accept(
                FcEvent.warn(
                    "Kafka at "
                        + bootstrap
                        + " does not answer; trigger "
                        + spec.name()
                        + " will keep retrying and creates its topics once it does"));
        return;
      }
      for (String topic : needed) {
        if (existing.contains(topic)) {
          continue;
        }
        if (!create) {
          throw new NotFoundException(
              "topic",
              topic,
              "create it on " + bootstrap + " first (trigger '" + spec.name() + "' needs it)");
        }
      }
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : needed) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, spec.partitions(), (short) 1));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new InvalidRequestException(
                "triggers." + spec.name() + ".topic",
                "could not create topics " + missing + ": " + e.getCause().getMessage(),
                null);
          }
        } catch (TimeoutException e) {
          // Not fatal: the dispatcher checks its topics before it reads and creates them then.
          config
              .events()
              .accept(
                  FcEvent.warn(
                      "Creating topics " + missing + " timed out; the trigger retries it"));
          return;
        }
        config.events().accept(FcEvent.info("Created topics " + missing));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    } finally {
      // Bounded: close() waits for pending calls without limit, and a broker that accepts
      // connections but does not answer would hold put() (and the control API) forever.
      admin.close(ADMIN_CLOSE);
    }
  }
}
