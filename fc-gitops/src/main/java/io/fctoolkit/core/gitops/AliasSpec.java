package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;

/**
 * An alias as an environment file declares it, in terms of release ids.
 *
 * @param name the alias name
 * @param release the primary release
 * @param canaryRelease the canary release, or null
 * @param weight percent of requests for the canary (0 to 100, decimals allowed); zero without one
 * @param affinity how requests are split between primary and canary
 * @param rollout how the platform moves the alias to a new {@code release} step by step, or null to
 *     move it at once
 */
public record AliasSpec(
    String name,
    String release,
    String canaryRelease,
    BigDecimal weight,
    Affinity affinity,
    RolloutStrategy rollout) {

  public AliasSpec {
    requireNonNull(name, "name");
    requireNonNull(release, "release");
    requireNonNull(weight, "weight");
    requireNonNull(affinity, "affinity");
    weight = weight.stripTrailingZeros();
    if (weight.scale() < 0) {
      weight = weight.setScale(0);
    }
  }

  /** An alias moved at once (no rollout strategy). */
  public AliasSpec(
      String name, String release, String canaryRelease, BigDecimal weight, Affinity affinity) {
    this(name, release, canaryRelease, weight, affinity, null);
  }

  /** All traffic to {@code release}. */
  public static AliasSpec of(String name, String release) {
    return new AliasSpec(name, release, null, BigDecimal.ZERO, Affinity.NONE);
  }

  public boolean hasCanary() {
    return canaryRelease != null;
  }

  /** e.g. {@code 2026-11-21.1} or {@code 2026-11-21.1 + canary 2026-11-22.1 at 10% (key)}. */
  public String describe() {
    return hasCanary()
        ? release
            + " + canary "
            + canaryRelease
            + " at "
            + weight.toPlainString()
            + "%"
            + (affinity == Affinity.KEY ? " (key affinity)" : "")
        : release;
  }
}
