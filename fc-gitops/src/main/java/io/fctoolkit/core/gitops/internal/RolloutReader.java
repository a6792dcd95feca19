package io.fctoolkit.core.gitops.internal;

import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads an alias's {@code rollout:} block: every field optional, defaults from {@link
 * RolloutStrategy#defaults()}, each problem reported at its own line and column.
 */
final class RolloutReader {

  static final List<String> FIELDS =
      List.of(
          "steps",
          "minSamples",
          "interval",
          "maxStepTime",
          "onInconclusive",
          "gates",
          "approveBefore");
  static final List<String> GATE_FIELDS =
      List.of(
          "maxErrorRate",
          "maxErrorRateExcess",
          "maxP95",
          "maxP95Ratio",
          "maxP99",
          "maxP99Ratio",
          "maxDeadLetterRate",
          "maxDeadLetterRateExcess",
          "maxRetryRate",
          "maxRetryRateExcess");

  private static final int MAX_STEPS = 20;

  private RolloutReader() {}

  /** The strategy, or null after reporting its problems. */
  static RolloutStrategy read(Node node, String path, Problems problems) {
    int before = problems.count();
    RolloutStrategy defaults = RolloutStrategy.defaults();
    if (Mapping.isNull(node)) {
      return defaults;
    }
    Mapping m = Mapping.of(node, path, problems, FIELDS);
    List<BigDecimal> steps = m.has("steps") ? steps(m, problems) : defaults.steps();
    int minSamples = m.integer("minSamples", (int) defaults.minSamples(), 1, 10_000_000);
    Duration interval = m.duration("interval", defaults.interval());
    Duration maxStepTime = m.duration("maxStepTime", defaults.maxStepTime());
    if (interval.isZero() || interval.isNegative()) {
      m.error("interval", "interval must be positive", "write e.g. interval: 10s");
    } else if (maxStepTime.compareTo(interval) < 0) {
      m.error(
          m.has("maxStepTime") ? "maxStepTime" : "interval",
          "maxStepTime ("
              + maxStepTime.toSeconds()
              + " s) is shorter than the interval ("
              + interval.toSeconds()
              + " s)",
          "a step lasts at least the interval: make maxStepTime longer");
    }
    RolloutStrategy.Inconclusive onInconclusive =
        m.choice("onInconclusive", RolloutStrategy.Inconclusive.class, defaults.onInconclusive());
    RolloutGates gates = gates(m, problems, defaults.gates());
    List<Integer> approveBefore =
        m.has("approveBefore") && steps != null
            ? approveBefore(m, problems, steps.size())
            : List.of();
    if (problems.count() > before || steps == null || gates == null || approveBefore == null) {
      return null;
    }
    try {
      return new RolloutStrategy(
          steps, minSamples, interval, maxStepTime, onInconclusive, gates, approveBefore);
    } catch (IllegalArgumentException e) {
      problems.at(node, path, e.getMessage(), "see the rollout section of docs/gitops.md");
      return null;
    }
  }

  private static List<BigDecimal> steps(Mapping m, Problems problems) {
    List<Node> items = m.sequence("steps");
    String hint = "write canary weights in percent that increase, e.g. steps: [5, 25, 50]";
    if (items.isEmpty()) {
      m.error("steps", "steps must name at least one canary weight", hint);
      return null;
    }
    if (items.size() > MAX_STEPS) {
      m.error("steps", items.size() + " steps are too many (at most " + MAX_STEPS + ")", hint);
      return null;
    }
    List<BigDecimal> steps = new ArrayList<>();
    BigDecimal previous = BigDecimal.ZERO;
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String at = m.child("steps") + "[" + i + "]";
      BigDecimal step = number(item);
      if (step == null) {
        problems.at(item, at, "expected a weight in percent, got " + Mapping.describe(item), hint);
        ok = false;
        continue;
      }
      if (step.signum() <= 0 || step.compareTo(BigDecimal.valueOf(100)) >= 0) {
        problems.at(
            item,
            at,
            "step " + step.toPlainString() + "% is out of range",
            "each step lies above 0 and below 100 (after the last step the canary takes 100%)");
        ok = false;
      } else if (step.compareTo(previous) <= 0) {
        problems.at(
            item,
            at,
            "step "
                + step.toPlainString()
                + "% does not increase on "
                + previous.toPlainString()
                + "%",
            hint);
        ok = false;
      }
      previous = step.max(previous);
      steps.add(step);
    }
    return ok ? steps : null;
  }

  /** Step numbers (1-based) a person approves before; n + 1 is the promotion to 100%. */
  private static List<Integer> approveBefore(Mapping m, Problems problems, int steps) {
    String hint =
        "list the step numbers that wait for a person's approval, 2 to "
            + (steps + 1)
            + " ("
            + (steps + 1)
            + " is the promotion to 100%), e.g. approveBefore: ["
            + (steps + 1)
            + "]";
    List<Integer> numbers = new ArrayList<>();
    boolean ok = true;
    List<Node> items = m.sequence("approveBefore");
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String at = m.child("approveBefore") + "[" + i + "]";
      BigDecimal n = number(item);
      if (n == null || n.stripTrailingZeros().scale() > 0) {
        problems.at(item, at, "expected a step number, got " + Mapping.describe(item), hint);
        ok = false;
      } else if (n.compareTo(BigDecimal.valueOf(2)) < 0
          || n.compareTo(BigDecimal.valueOf(steps + 1)) > 0) {
        problems.at(
            item,
            at,
            "step "
                + n.toPlainString()
                + (n.compareTo(BigDecimal.ONE) == 0
                    ? " cannot wait for approval: starting the rollout approves it"
                    : " does not exist: the rollout has " + steps + " steps, then 100%"),
            hint);
        ok = false;
      } else if (numbers.contains(n.intValue())) {
        problems.at(item, at, "step " + n.intValue() + " is listed twice", hint);
        ok = false;
      } else {
        numbers.add(n.intValue());
      }
    }
    return ok ? numbers : null;
  }

  private static BigDecimal number(Node item) {
    if (item instanceof ScalarNode s
        && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))
        && s.getValue().length() <= 20) {
      try {
        BigDecimal n = new BigDecimal(s.getValue());
        return n.scale() > 6 ? null : n;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static RolloutGates gates(Mapping m, Problems problems, RolloutGates defaults) {
    Node node = m.value("gates");
    if (node == null || Mapping.isNull(node)) {
      return defaults;
    }
    int before = problems.count();
    Mapping g = Mapping.of(node, m.child("gates"), problems, GATE_FIELDS);
    RolloutGates.Builder b =
        defaults.toBuilder()
            .maxErrorRate(rate(g, "maxErrorRate", defaults.maxErrorRate()))
            .maxErrorRateExcess(rate(g, "maxErrorRateExcess", defaults.maxErrorRateExcess()))
            .maxP95(latency(g, "maxP95", defaults.maxP95()))
            .maxP95Ratio(ratio(g, "maxP95Ratio", defaults.maxP95Ratio()))
            .maxP99(latency(g, "maxP99", defaults.maxP99()))
            .maxP99Ratio(ratio(g, "maxP99Ratio", defaults.maxP99Ratio()))
            .maxDeadLetterRate(rate(g, "maxDeadLetterRate", defaults.maxDeadLetterRate()))
            .maxDeadLetterRateExcess(
                rate(g, "maxDeadLetterRateExcess", defaults.maxDeadLetterRateExcess()))
            .maxRetryRate(rate(g, "maxRetryRate", defaults.maxRetryRate()))
            .maxRetryRateExcess(rate(g, "maxRetryRateExcess", defaults.maxRetryRateExcess()));
    if (problems.count() > before) {
      return null;
    }
    return b.build();
  }

  private static Duration latency(Mapping g, String key, Duration defaultValue) {
    Duration d = g.duration(key, defaultValue);
    if (d != null && (d.isZero() || d.isNegative())) {
      g.error(key, key + " must be positive", "write e.g. " + key + ": 300ms");
      return null;
    }
    return d;
  }

  private static BigDecimal ratio(Mapping g, String key, BigDecimal defaultValue) {
    String quantile = key.substring(3, 6).toLowerCase(java.util.Locale.ROOT);
    if (!g.has(key)) {
      return defaultValue;
    }
    BigDecimal ratio =
        g.decimal(key, "write a multiple of the primary's " + quantile + ", e.g. 1.5");
    if (ratio != null && ratio.compareTo(BigDecimal.ONE) < 0) {
      g.error(
          key,
          key + " " + ratio.toPlainString() + " is below 1",
          "write how many times the primary's " + quantile + " the canary may reach, e.g. 1.5");
      return null;
    }
    return ratio;
  }

  private static BigDecimal rate(Mapping g, String key, BigDecimal defaultValue) {
    if (!g.has(key) || Mapping.isNull(g.value(key))) {
      return defaultValue;
    }
    boolean points = key.endsWith("Excess");
    BigDecimal rate =
        g.decimal(
            key,
            points
                ? "write percentage points above the primary's rate, from 0 to 100, e.g. 0.5"
                : "write a percentage from 0 to 100, e.g. 1 or 0.5");
    if (rate != null && (rate.signum() < 0 || rate.compareTo(BigDecimal.valueOf(100)) > 0)) {
      g.error(
          key,
          key + " " + rate + " is out of range",
          points ? "write percentage points from 0 to 100" : "write a percentage from 0 to 100");
      return null;
    }
    return rate;
  }
}
