package io.fctoolkit.core.gitops;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * The alias part of one function's plan: creates, updates and drift deletes, with the weight as the
 * platform can route it; rollout fields go to {@link RolloutPlanner}.
 */
final class AliasPlanner {
  private final FunctionScope scope;
  private final ReleaseMap releases;
  private final RolloutPlanner rollouts;
  private final PlanParts parts;

  AliasPlanner(FunctionScope scope, ReleaseMap releases, RolloutPlanner rollouts, PlanParts parts) {
    this.scope = scope;
    this.releases = releases;
    this.rollouts = rollouts;
    this.parts = parts;
  }

  void plan() {
    String function = scope.name();
    for (AliasSpec desired : scope.envFunction().aliases()) {
      BigDecimal weight = desired.weight();
      if (desired.hasCanary() && !scope.caps().decimalWeights() && weight.scale() > 0) {
        BigDecimal rounded = weight.setScale(0, RoundingMode.HALF_UP);
        parts.warnings.add(
            function
                + " alias "
                + desired.name()
                + ": weight "
                + weight.toPlainString()
                + "% is rounded to "
                + rounded.toPlainString()
                + "% because this platform has no decimal weights");
        weight = rounded;
      }
      if (desired.hasCanary()
          && desired.affinity() == Affinity.KEY
          && !scope.caps().keyAffinity()) {
        parts.errors.add(
            function
                + " alias "
                + desired.name()
                + ": affinity key is not supported by this platform (it cannot route by a hash"
                + " of the routing key); use affinity none here");
      }
      if (desired.rollout() != null && !scope.platform().supportsRollouts()) {
        rollouts.planRendered(desired);
      }
      Integer version = releases.versionOf(desired.release());
      Integer canaryVersion =
          desired.hasCanary() ? releases.versionOf(desired.canaryRelease()) : null;
      Optional<Alias> current = scope.live().alias(desired.name());
      if (current.isEmpty()) {
        parts.aliases.add(
            new Plan.AliasChange(
                function,
                desired.name(),
                Plan.Kind.CREATE,
                null,
                desired,
                weight,
                version,
                canaryVersion,
                0,
                false));
        continue;
      }
      AliasTarget target = current.get().target();
      if (desired.rollout() != null && rollouts.settled(desired, version, target)) {
        continue;
      }
      String primary = releases.releaseOf(target.version());
      String canary = target.hasCanary() ? releases.releaseOf(target.canaryVersion()) : null;
      boolean unknown =
          !releases.known(target.version())
              || (target.hasCanary() && !releases.known(target.canaryVersion()));
      String from = releases.describe(target);
      boolean drifted = false;
      if (unknown) {
        drifted = true;
        String action = scope.driftAction("moved back to Git's " + desired.describe());
        parts.drift.add(
            new Plan.Drift(
                function,
                "alias",
                desired.name(),
                "points at " + from + ", which no release in Git maps to",
                action));
        if (scope.env().driftPolicy() == DriftPolicy.REPORT) {
          continue;
        }
      } else if ((sameVersions(version, canaryVersion, target)
              || (Objects.equals(primary, desired.release())
                  && Objects.equals(canary, desired.canaryRelease())))
          && (!desired.hasCanary()
              || (target.canaryWeight().compareTo(weight) == 0
                  && target.affinity() == desired.affinity()))) {
        continue;
      }
      parts.aliases.add(
          new Plan.AliasChange(
              function,
              desired.name(),
              Plan.Kind.UPDATE,
              from,
              desired,
              weight,
              version,
              canaryVersion,
              current.get().revision(),
              drifted));
    }
    for (Alias extra : scope.live().aliases()) {
      if (scope.envFunction().alias(extra.name()).isPresent()) {
        continue;
      }
      parts.drift.add(
          new Plan.Drift(
              function,
              "alias",
              extra.name(),
              "exists on the platform (" + releases.describe(extra.target()) + ") but not in Git",
              scope.driftAction("deleted")));
      if (scope.env().driftPolicy() == DriftPolicy.OVERWRITE) {
        parts.aliases.add(
            new Plan.AliasChange(
                function,
                extra.name(),
                Plan.Kind.DELETE,
                releases.describe(extra.target()),
                null,
                BigDecimal.ZERO,
                null,
                null,
                extra.revision(),
                true));
      }
    }
  }

  /**
   * Whether the desired releases are the live versions. Two release ids can map to one version: the
   * tag release {@code fc:deploy} published under and the release by digest it then recorded.
   */
  private static boolean sameVersions(Integer version, Integer canaryVersion, AliasTarget live) {
    return version != null
        && version == live.version()
        && Objects.equals(canaryVersion, live.canaryVersion());
  }
}
