package io.fctoolkit.maven.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.Version;
import io.fctoolkit.core.VersionMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fc:status table: versions joined with the aliases that route to them and their serving
 * figures, then the triggers' lag per partition. Plain text, one line per row.
 */
public final class StatusTable {

  private static final String VERSION_ROW = "%-7s %-19s %-24s %5s %8s %6s %8s %8s %5s %-15s %-12s";
  private static final String TRIGGER_ROW = "%-20s %-8s %9s %8s %9s %10s %8s %6s";

  private StatusTable() {}

  public static List<String> lines(FunctionState state, FunctionMetrics metrics) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            VERSION_ROW,
            "VERSION",
            "DIGEST",
            "ALIASES",
            "INST",
            "INVOKED",
            "ERRORS",
            "P50 ms",
            "P95 ms",
            "COLD",
            "STANDBY",
            "RELEASE"));
    List<Version> versions = new ArrayList<>(state.versions());
    versions.sort(Comparator.comparingInt(Version::number).reversed());
    for (Version version : versions) {
      Optional<VersionMetrics> figures =
          metrics.versions().stream().filter(m -> m.version() == version.number()).findFirst();
      lines.add(
          String.format(
              Locale.ROOT,
              VERSION_ROW,
              "v" + version.number(),
              shortDigest(version.imageDigest()),
              aliases(state, version.number()),
              figures.map(m -> Integer.toString(m.instances())).orElse("-"),
              figures.map(m -> Long.toString(m.invocations())).orElse("-"),
              figures.map(m -> Long.toString(m.errors())).orElse("-"),
              figures.map(m -> ms(m.p50Ms())).orElse("-"),
              figures.map(m -> ms(m.p95Ms())).orElse("-"),
              figures.map(m -> Long.toString(m.coldStarts())).orElse("-"),
              standby(version, !aliases(state, version.number()).equals("-")),
              version.releaseId() == null ? "" : version.releaseId()));
    }
    if (!metrics.triggers().isEmpty() || !state.triggers().isEmpty()) {
      lines.add("");
      lines.add(
          String.format(
              Locale.ROOT,
              TRIGGER_ROW,
              "TRIGGER",
              "STATE",
              "PARTITION",
              "LAG",
              "IN-FLIGHT",
              "DELIVERED",
              "RETRIED",
              "DLQ"));
      for (TriggerStatus trigger : metrics.triggers()) {
        if (trigger.partitions().isEmpty()) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  TRIGGER_ROW,
                  trigger.trigger(),
                  trigger.state(),
                  "-",
                  "-",
                  "-",
                  "-",
                  "-",
                  "-"));
        }
        for (PartitionStatus partition : trigger.partitions()) {
          lines.add(
              String.format(
                  Locale.ROOT,
                  TRIGGER_ROW,
                  trigger.trigger(),
                  trigger.state(),
                  partition.partition(),
                  partition.lag(),
                  partition.inFlight(),
                  partition.delivered(),
                  partition.retried(),
                  partition.deadLettered()));
        }
        if (trigger.lastError() != null) {
          lines.add("  last error: " + trigger.lastError());
        }
      }
    }
    return lines;
  }

  /** {@code dev, prod (10%)}: the aliases routing to a version, with the share if split. */
  static String aliases(FunctionState state, int version) {
    List<String> names = new ArrayList<>();
    for (Alias alias : state.aliases()) {
      var target = alias.target();
      if (target.version() == version) {
        names.add(
            target.hasCanary()
                ? alias.name()
                    + " ("
                    + percent(BigDecimal.valueOf(100).subtract(target.canaryWeight()))
                    + ")"
                : alias.name());
      } else if (target.hasCanary() && target.canaryVersion() == version) {
        names.add(alias.name() + " (" + percent(target.canaryWeight()) + ")");
      }
    }
    return names.isEmpty() ? "-" : String.join(", ", names);
  }

  /**
   * {@code 1 x 512 MiB}: the ready instances a routed version keeps ahead of demand and the memory
   * they hold while they wait ({@code scaling.standby} times {@code resources.memoryMb}, at most
   * {@code maxInstances}); {@code off} when 0; {@code -} when no alias routes to the version (it
   * keeps none).
   */
  static String standby(Version version, boolean routed) {
    var config = version.config();
    int standby = Math.min(config.scaling().standby(), config.scaling().maxInstances());
    if (!routed) {
      return "-";
    }
    if (standby == 0) {
      return "off";
    }
    return standby
        + " x "
        + config.resources().memoryMb()
        + " MiB"
        + (standby > 1
            ? " = " + config.scaling().standbyMemoryMb(config.resources().memoryMb()) + " MiB"
            : "");
  }

  private static String percent(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString() + "%";
  }

  private static String shortDigest(String digest) {
    return digest.length() > 19 ? digest.substring(0, 19) : digest;
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }
}
