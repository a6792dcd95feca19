package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.State;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@code fc_rollout_*} families of the runtime's Prometheus text: each alias's latest rollout
 * (state, step, weight, samples, each check's value and limit) and the rollbacks and promotions
 * since the runtime started. One table row per family, as in the runtime's other metrics.
 */
public final class RolloutMetrics {

  /** One gauge of a rollout: its name, help and value. */
  private record Family(String name, String help, Function<RolloutStatus, Number> value) {}

  private static final List<Family> FAMILIES =
      List.of(
          new Family(
              "fc_rollout_step",
              "The step a rollout is at (1-based), or ended at.",
              s -> s.step() + 1),
          new Family(
              "fc_rollout_canary_weight_percent",
              "The canary's weight now (0 after a rollback, 100 once promoted).",
              RolloutStatus::weight),
          new Family(
              "fc_rollout_step_samples",
              "The canary's samples in the current step.",
              RolloutStatus::samples));

  private record Key(String function, String alias, String action) {}

  private final Map<Key, AtomicLong> ends = new ConcurrentHashMap<>();

  /** Counts a rollout's end: a rollback, a promotion or an abort. */
  void ended(RolloutStatus s) {
    String action =
        switch (s.state()) {
          case ROLLED_BACK -> "rollback";
          case PROMOTED -> "promote";
          case ABORTED -> "abort";
          default -> null;
        };
    if (action != null) {
      ends.computeIfAbsent(new Key(s.function(), s.alias(), action), k -> new AtomicLong())
          .incrementAndGet();
    }
  }

  /** Appends the families for these rollouts (every alias's latest). */
  void render(StringBuilder out, List<RolloutStatus> rollouts) {
    head(out, "fc_rollout_state", "gauge", "1 for the state each alias's latest rollout is in.");
    for (RolloutStatus s : rollouts) {
      for (State state : State.values()) {
        line(
            out,
            "fc_rollout_state",
            labels(s) + ",state=\"" + state + "\"",
            s.state() == state ? 1 : 0);
      }
    }
    for (Family f : FAMILIES) {
      head(out, f.name(), "gauge", f.help());
      for (RolloutStatus s : rollouts) {
        line(out, f.name(), labels(s), f.value().apply(s));
      }
    }
    head(
        out,
        "fc_rollout_gate_value",
        "gauge",
        "Each check's value at the canary at the last evaluation, in its unit.");
    gates(out, rollouts, "fc_rollout_gate_value", true);
    head(out, "fc_rollout_gate_threshold", "gauge", "Each check's limit, in its unit.");
    gates(out, rollouts, "fc_rollout_gate_threshold", false);
    counter(out, "fc_rollout_rollbacks_total", "Rollouts rolled back automatically.", "rollback");
    counter(out, "fc_rollout_promotions_total", "Rollouts promoted.", "promote");
    counter(out, "fc_rollout_aborts_total", "Rollouts aborted.", "abort");
  }

  private static void gates(
      StringBuilder out, List<RolloutStatus> rollouts, String name, boolean value) {
    for (RolloutStatus s : rollouts) {
      for (Gate g : s.gates()) {
        if (value && g.value() == null) {
          continue;
        }
        line(
            out,
            name,
            labels(s) + ",gate=\"" + g.name() + "\",unit=\"" + g.unit() + "\"",
            value ? g.value() : g.threshold());
      }
    }
  }

  private void counter(StringBuilder out, String name, String help, String action) {
    head(out, name, "counter", help + " Since the runtime started.");
    ends.forEach(
        (k, n) -> {
          if (k.action().equals(action)) {
            line(
                out,
                name,
                "function=\"" + k.function() + "\",alias=\"" + k.alias() + "\"",
                n.get());
          }
        });
  }

  private static String labels(RolloutStatus s) {
    return "function=\"" + s.function() + "\",alias=\"" + s.alias() + "\"";
  }

  private static void head(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder out, String name, String labels, Number value) {
    out.append(name).append('{').append(labels).append("} ");
    String text;
    if (value instanceof java.math.BigDecimal d) {
      text = d.toPlainString();
    } else if (value instanceof Double d && d.isInfinite()) {
      text = d > 0 ? "+Inf" : "-Inf"; // the exposition format's spelling, not Java's
    } else {
      text = String.valueOf(value);
    }
    out.append(text);
    out.append('\n');
  }
}
