package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.Version;
import io.fctoolkit.core.VersionMetrics;
import io.fctoolkit.runtime.TriggerHost;
import io.fctoolkit.runtime.internal.StateStore.FunctionEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The runtime's figures: per function as JSON, and all of them in the Prometheus text format, where
 * each metric family is one row of a table.
 */
public final class RuntimeMetrics {

  /** One labelled series: counters of a version or alias, and the version's pool if it has one. */
  record Sample(String labels, ServingStats stats, VersionPool pool) {
    int instances() {
      return pool == null ? 0 : pool.instanceCount();
    }

    int inFlight() {
      return pool == null ? 0 : pool.inFlight();
    }

    int queued() {
      return pool == null ? 0 : pool.queued();
    }
  }

  /**
   * One metric family.
   *
   * @param value a sample's value: a number, or a {@link Histogram} for type {@code histogram}
   */
  record Family(String name, String type, String help, Function<Sample, Object> value) {}

  static final List<Family> VERSION_FAMILIES =
      List.of(
          new Family(
              "fc_invocations_total",
              "counter",
              "Requests answered, per version.",
              s -> s.stats().invocations.sum()),
          new Family(
              "fc_errors_total",
              "counter",
              "Requests answered with 5xx, timed out or failed by a crash.",
              s -> s.stats().errors.sum()),
          new Family(
              "fc_rejected_total",
              "counter",
              "Requests answered 429 because the queue was full.",
              s -> s.stats().rejected.sum()),
          new Family(
              "fc_request_duration_seconds",
              "histogram",
              "Latency through the runtime.",
              s -> s.stats().latency),
          new Family(
              "fc_cold_starts_total",
              "counter",
              "Instances started.",
              s -> s.stats().coldStarts.sum()),
          new Family(
              "fc_cold_start_duration_seconds",
              "histogram",
              "Instance launch to ready.",
              s -> s.stats().coldStartMs),
          new Family(
              "fc_queue_waits_total",
              "counter",
              "Requests that found no free slot and waited in the queue.",
              s -> s.stats().queueWaits.sum()),
          new Family(
              "fc_queue_wait_request_duration_seconds",
              "histogram",
              "Latency of the requests that waited in the queue.",
              s -> s.stats().queueWaitLatency),
          new Family(
              "fc_start_waits_total",
              "counter",
              "Requests that waited in the queue for a starting instance (none was ready).",
              s -> s.stats().startWaits.sum()),
          new Family(
              "fc_start_wait_request_duration_seconds",
              "histogram",
              "Latency of the requests that waited for a starting instance.",
              s -> s.stats().startWaitLatency),
          new Family(
              "fc_instance_crashes_total",
              "counter",
              "Instances that died or failed while serving.",
              s -> s.stats().crashes.sum()),
          new Family("fc_instances", "gauge", "Instances running now.", Sample::instances),
          new Family("fc_in_flight", "gauge", "Requests being served now.", Sample::inFlight),
          new Family(
              "fc_queue_depth", "gauge", "Requests waiting for a free slot now.", Sample::queued));

  static final List<Family> ALIAS_FAMILIES =
      List.of(
          new Family(
              "fc_alias_invocations_total",
              "counter",
              "Requests answered, per alias.",
              s -> s.stats().invocations.sum()),
          new Family(
              "fc_alias_errors_total",
              "counter",
              "Errors, per alias.",
              s -> s.stats().errors.sum()),
          new Family(
              "fc_alias_request_duration_seconds",
              "histogram",
              "Latency, per alias.",
              s -> s.stats().latency));

  private final StateStore state;
  private final VersionPools pools;
  private final StatsRegistry stats;
  private final TriggerHost triggers;

  public RuntimeMetrics(
      StateStore state, VersionPools pools, StatsRegistry stats, TriggerHost triggers) {
    this.state = state;
    this.pools = pools;
    this.stats = stats;
    this.triggers = triggers;
  }

  /** A function's figures per version and its triggers' status. */
  public FunctionMetrics function(String function) {
    FunctionEntry entry = state.requireFunction(function);
    List<VersionMetrics> versions = new ArrayList<>();
    for (Version v : entry.versions()) {
      versions.add(version(v));
    }
    List<TriggerStatus> statuses = new ArrayList<>();
    for (TriggerSpec t : entry.triggers()) {
      statuses.add(triggerStatus(function, t.name()));
    }
    return new FunctionMetrics(function, versions, statuses);
  }

  /** A trigger's status, or NOT_RUNNING when this runtime has no trigger engine. */
  public TriggerStatus triggerStatus(String function, String trigger) {
    return triggers
        .status(function, trigger)
        .orElse(
            new TriggerStatus(
                trigger, "NOT_RUNNING", "this runtime has no trigger engine", List.of()));
  }

  private VersionMetrics version(Version v) {
    ServingStats s = stats.version(v.function(), v.number());
    VersionPool pool = pools.find(v.function(), v.number());
    return new VersionMetrics(
        v.number(),
        s.invocations.sum(),
        s.errors.sum(),
        s.latency.quantile(0.5),
        s.latency.quantile(0.95),
        s.latency.quantile(0.99),
        s.coldStarts.sum(),
        s.coldStartMs.quantile(0.5),
        pool == null ? 0 : pool.instanceCount(),
        pool == null ? 0 : pool.inFlight(),
        pool == null ? 0 : pool.queued());
  }

  /** Per-alias figures for the JSON metrics. */
  public List<Map<String, Object>> aliases(String function) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Alias a : state.requireFunction(function).aliases()) {
      ServingStats s = stats.alias(function, a.name());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alias", a.name());
      m.put("invocations", s.invocations.sum());
      m.put("errors", s.errors.sum());
      m.put("p50Ms", s.latency.quantile(0.5));
      m.put("p95Ms", s.latency.quantile(0.95));
      m.put("p99Ms", s.latency.quantile(0.99));
      out.add(m);
    }
    return out;
  }

  /** All figures in the Prometheus text exposition format. */
  public String prometheus() {
    List<Sample> versions = new ArrayList<>();
    for (FunctionEntry e : state.all()) {
      for (Version v : e.versions()) {
        versions.add(
            new Sample(
                "function=\"" + v.function() + "\",version=\"" + v.number() + "\"",
                stats.version(v.function(), v.number()),
                pools.find(v.function(), v.number())));
      }
    }
    List<Sample> aliases = new ArrayList<>();
    stats.forEachAlias(
        (k, s) ->
            aliases.add(
                new Sample(
                    "function=\"" + k.function() + "\",alias=\"" + k.alias() + "\"", s, null)));
    StringBuilder out = new StringBuilder();
    render(out, VERSION_FAMILIES, versions);
    render(out, ALIAS_FAMILIES, aliases);
    triggers.renderMetrics(out);
    return out.toString();
  }

  static void render(StringBuilder out, List<Family> families, List<Sample> samples) {
    for (Family f : families) {
      out.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (Sample s : samples) {
        Object value = f.value().apply(s);
        if (value instanceof Histogram h) {
          h.writePrometheus(out, f.name(), s.labels());
        } else {
          out.append(f.name())
              .append('{')
              .append(s.labels())
              .append("} ")
              .append(value)
              .append('\n');
        }
      }
    }
  }
}
