package io.fctoolkit.knative.internal;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.knative.KnativeFinding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps aliases to a Knative Service's traffic block: each alias is a tag; the primary alias also
 * owns the percent split of the default route (its canary gets an untagged entry).
 */
public final class Traffic {

  private Traffic() {}

  /** The alias that owns the default route: the configured one if present, else the first. */
  public static String primary(List<AliasEntry> aliases, String configured) {
    for (AliasEntry a : aliases) {
      if (a.name().equals(configured)) {
        return configured;
      }
    }
    return aliases.isEmpty() ? null : aliases.get(0).name();
  }

  /**
   * Knative takes whole percents: rounds half up, but keeps a canary between 0 and 100 exclusive
   * off both ends so that rounding never removes or takes over the whole route silently.
   */
  public static int percent(BigDecimal weight) {
    int rounded = weight.setScale(0, RoundingMode.HALF_UP).intValueExact();
    if (weight.signum() > 0 && rounded == 0) {
      return 1;
    }
    if (weight.compareTo(BigDecimal.valueOf(100)) < 0 && rounded == 100) {
      return 99;
    }
    return rounded;
  }

  /** What Knative cannot express about one alias target, as findings. */
  public static void check(
      String alias,
      AliasTarget target,
      boolean primary,
      String primaryName,
      List<KnativeFinding> findings) {
    String field = "alias." + alias;
    if (!target.hasCanary()) {
      return;
    }
    if (target.affinity() == Affinity.KEY) {
      findings.add(
          KnativeFinding.error(
              field + ".affinity",
              "key affinity is not expressible on Knative: its router splits traffic at random per"
                  + " request and cannot route by a routing key; use affinity none on Knative"));
    }
    if (!primary) {
      findings.add(
          KnativeFinding.error(
              field + ".canaryVersion",
              "only the primary alias ("
                  + primaryName
                  + ") can carry a canary on Knative: a traffic tag names one revision; move the"
                  + " canary to '"
                  + primaryName
                  + "' or point '"
                  + alias
                  + "' at one version"));
      return;
    }
    int percent = percent(target.canaryWeight());
    if (BigDecimal.valueOf(percent).compareTo(target.canaryWeight()) != 0) {
      findings.add(
          KnativeFinding.warning(
              field + ".canaryWeight",
              "Knative routes whole percents: canary weight "
                  + target.canaryWeight().toPlainString()
                  + "% becomes "
                  + percent
                  + "%"));
    }
  }

  /** The traffic block for these aliases; findings collect what had to change or is refused. */
  public static List<Map<String, Object>> traffic(
      String function,
      List<AliasEntry> aliases,
      String configuredPrimary,
      List<KnativeFinding> findings) {
    List<Map<String, Object>> out = new ArrayList<>();
    String primary = primary(aliases, configuredPrimary);
    if (primary == null) {
      // No alias yet: the default route follows the newest revision, as Knative does by default.
      Map<String, Object> latest = new TreeMap<>();
      latest.put("latestRevision", true);
      latest.put("percent", 100);
      out.add(latest);
      return out;
    }
    for (AliasEntry a : aliases) {
      boolean isPrimary = a.name().equals(primary);
      check(a.name(), a.target(), isPrimary, primary, findings);
      AliasTarget t = a.target();
      int canary = isPrimary && t.hasCanary() ? percent(t.canaryWeight()) : 0;
      out.add(entry(function, t.version(), isPrimary ? 100 - canary : 0, a.name()));
      if (isPrimary && t.hasCanary() && canary > 0) {
        // An untagged entry exists only to carry percent; a 0% canary is simply no entry.
        out.add(entry(function, t.canaryVersion(), canary, null));
      }
    }
    return out;
  }

  private static Map<String, Object> entry(String function, int version, int percent, String tag) {
    Map<String, Object> m = new TreeMap<>();
    m.put("revisionName", Names.revision(function, version));
    m.put("latestRevision", false);
    m.put("percent", percent);
    if (tag != null) {
      m.put("tag", tag);
    }
    return m;
  }
}
