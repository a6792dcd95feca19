package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.Version;
import io.fctoolkit.runtime.TriggerHost;
import io.fctoolkit.runtime.internal.StateStore.FunctionEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every function's figures into the {@link MetricsHistory} at a fixed interval: per version
 * the rates and the latency of that interval alone (from the difference of the counters and of the
 * histogram's buckets, not the figures since start), cold starts, instances and requests in flight;
 * per trigger the lag of each partition and the delivered, retried and dead-lettered rates.
 *
 * <p>Only versions that serve (an alias routes to them, they have instances, or they answered in
 * the interval) are sampled, so a function with a hundred old versions costs what its live ones
 * cost. One sample of a function reads counters and copies one 200-bucket array per version: a few
 * microseconds, every 5 s, whether or not anybody watches.
 */
final class HistorySampler {

  private static final Logger LOG = LoggerFactory.getLogger(HistorySampler.class);

  private final StateStore state;
  private final VersionPools pools;
  private final StatsRegistry stats;
  private final TriggerHost triggers;
  private final MetricsHistory history;
  private final LongSupplier clock;
  private final Map<String, Previous> previous = new HashMap<>();
  private long lastTime = -1;

  /** Counters of one version or trigger at the last sample. */
  private record Previous(long a, long b, long c, long[] latency) {}

  HistorySampler(
      StateStore state,
      VersionPools pools,
      StatsRegistry stats,
      TriggerHost triggers,
      MetricsHistory history,
      LongSupplier clock) {
    this.state = state;
    this.pools = pools;
    this.stats = stats;
    this.triggers = triggers;
    this.history = history;
    this.clock = clock;
  }

  /** One sample; never throws (it runs on the runtime's timer, which a throw would stop). */
  void sampleSafely() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.warn("dashboard history sample failed: {}", e.toString());
    }
  }

  synchronized void sample() {
    long now = clock.getAsLong();
    double seconds = lastTime < 0 ? Double.NaN : Math.max(0.001, (now - lastTime) / 1000.0);
    lastTime = now;
    history.tick(now);
    Set<String> seen = new HashSet<>();
    for (FunctionEntry entry : state.all()) {
      Set<Integer> routed = new HashSet<>();
      for (Alias alias : entry.aliases()) {
        routed.add(alias.target().version());
        if (alias.target().canaryVersion() != null) {
          routed.add(alias.target().canaryVersion());
        }
      }
      for (Version v : entry.versions()) {
        sampleVersion(entry.name(), v.number(), routed.contains(v.number()), seconds, seen);
      }
      for (TriggerSpec t : entry.triggers()) {
        sampleTrigger(entry.name(), t.name(), now, seconds, seen);
      }
    }
    previous.keySet().retainAll(seen);
    history.sampled(now);
  }

  private void sampleVersion(
      String function, int number, boolean routed, double seconds, Set<String> seen) {
    ServingStats s = stats.version(function, number);
    VersionPool pool = pools.find(function, number);
    String key = "v\u0000" + function + "\u0000" + number;
    seen.add(key);
    long invocations = s.invocations.sum();
    long errors = s.errors.sum();
    long coldStarts = s.coldStarts.sum();
    long[] latency = s.latency.snapshot();
    Previous before = previous.put(key, new Previous(invocations, errors, coldStarts, latency));
    int instances = pool == null ? 0 : pool.instanceCount();
    boolean answered = before != null && invocations != before.a();
    if (!routed && instances == 0 && !answered) {
      return;
    }
    List<String> base = List.of("versions", Integer.toString(number));
    put(function, base, "instances", instances);
    put(function, base, "inFlight", pool == null ? 0 : pool.inFlight());
    put(function, base, "queued", pool == null ? 0 : pool.queued());
    if (before == null || Double.isNaN(seconds)) {
      return;
    }
    put(function, base, "invocationsPerSec", (invocations - before.a()) / seconds);
    put(function, base, "errorsPerSec", (errors - before.b()) / seconds);
    put(function, base, "coldStarts", coldStarts - before.c());
    long[] delta = new long[latency.length];
    long count = 0;
    for (int i = 0; i < latency.length; i++) {
      delta[i] = latency[i] - before.latency()[i];
      count += delta[i];
    }
    if (count > 0) {
      put(function, base, "p50Ms", Histogram.quantile(delta, 0.5));
      put(function, base, "p95Ms", Histogram.quantile(delta, 0.95));
      put(function, base, "p99Ms", Histogram.quantile(delta, 0.99));
    }
  }

  private void sampleTrigger(
      String function, String trigger, long now, double seconds, Set<String> seen) {
    Optional<TriggerStatus> status = triggers.status(function, trigger);
    if (status.isEmpty()) {
      return;
    }
    String key = "t\u0000" + function + "\u0000" + trigger;
    seen.add(key);
    long delivered = 0;
    long retried = 0;
    long deadLettered = 0;
    List<String> base = List.of("triggers", trigger);
    for (PartitionStatus p : status.get().partitions()) {
      delivered += p.delivered();
      retried += p.retried();
      deadLettered += p.deadLettered() + p.parked();
      String partition = Integer.toString(p.partition());
      history.put(function, List.of("triggers", trigger, "partitions", partition, "lag"), p.lag());
      Long oldest = p.oldestPendingTimestamp();
      history.put(
          function,
          List.of("triggers", trigger, "partitions", partition, "oldestAgeMs"),
          oldest == null ? (p.lag() == 0 ? 0 : Double.NaN) : Math.max(0, now - oldest));
    }
    put(function, base, "lag", status.get().lag());
    Previous before = previous.put(key, new Previous(delivered, retried, deadLettered, null));
    // Counters restart with a new session of the trigger: a drop is a restart, not a negative rate.
    if (before == null || Double.isNaN(seconds) || delivered < before.a()) {
      return;
    }
    put(function, base, "deliveredPerSec", (delivered - before.a()) / seconds);
    put(function, base, "retriedPerSec", Math.max(0, retried - before.b()) / seconds);
    put(function, base, "deadLetteredPerSec", Math.max(0, deadLettered - before.c()) / seconds);
  }

  private void put(String function, List<String> base, String name, double value) {
    history.put(function, List.of(base.get(0), base.get(1), name), value);
  }
}
