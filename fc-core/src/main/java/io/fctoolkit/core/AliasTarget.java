package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * Where an alias points: one version, or a primary and a canary version with the canary's weight.
 *
 * @param version the primary version
 * @param canaryVersion the canary version, or {@code null}
 * @param canaryWeight percent of requests for the canary, 0 to 100, decimals allowed; zero without
 *     a canary
 * @param affinity how requests are split between the two
 */
public record AliasTarget(
    int version, Integer canaryVersion, BigDecimal canaryWeight, Affinity affinity) {

  public AliasTarget {
    requireNonNull(canaryWeight, "canaryWeight");
    requireNonNull(affinity, "affinity");
    if (version < 1) {
      throw new IllegalArgumentException("alias version must be 1 or more, was " + version);
    }
    if (canaryWeight.signum() < 0 || canaryWeight.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException(
          "canary weight must be between 0 and 100 percent, was " + canaryWeight.toPlainString());
    }
    if (canaryVersion == null && canaryWeight.signum() != 0) {
      throw new IllegalArgumentException("a canary weight needs a canary version");
    }
    if (canaryVersion != null && canaryVersion == version) {
      throw new IllegalArgumentException(
          "canary version " + canaryVersion + " is the same as the primary version");
    }
    canaryWeight = canaryWeight.stripTrailingZeros();
    if (canaryWeight.scale() < 0) {
      canaryWeight = canaryWeight.setScale(0);
    }
  }

  /** All traffic to one version. */
  public static AliasTarget of(int version) {
    return new AliasTarget(version, null, BigDecimal.ZERO, Affinity.NONE);
  }

  /** {@code weight} percent to {@code canary}, the rest to {@code version}. */
  public static AliasTarget canary(int version, int canary, BigDecimal weight, Affinity affinity) {
    return new AliasTarget(version, canary, weight, affinity);
  }

  public boolean hasCanary() {
    return canaryVersion != null;
  }

  @Override
  public String toString() {
    return hasCanary()
        ? "v"
            + version
            + " + canary v"
            + canaryVersion
            + " at "
            + canaryWeight.toPlainString()
            + "%"
            + (affinity == Affinity.KEY ? " (key affinity)" : "")
        : "v" + version;
  }
}
