package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.Version;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code fc:promote} and {@code fc:rollback} do on a platform (not {@code -Dfc.via=git}), with
 * no Maven type, so that both are tested against any {@link Platform}.
 */
public final class AliasFlow {

  private final Platform platform;
  private final Consumer<FcEvent> events;

  public AliasFlow(Platform platform, Consumer<FcEvent> events) {
    this.platform = requireNonNull(platform, "platform");
    this.events = requireNonNull(events, "events");
  }

  /**
   * Moves {@code alias} to a version ({@code version}, or the newest one published for {@code
   * release}); with {@code weight}, sends that share to it as a canary of the alias's current
   * version. {@code expectedRevision} null means the revision read just before the change.
   *
   * @return the line to print
   */
  public String promote(
      String function,
      String alias,
      Integer version,
      String release,
      String weight,
      String affinity,
      Long expectedRevision) {
    FunctionState state =
        platform
            .describe(function)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "function", function, "deploy it first with mvn fc:deploy"));
    int number = resolveVersion(state, version, release);
    Optional<Alias> current = state.alias(alias);
    AliasTarget target = target(alias, current, number, weight, affinity);
    Alias moved =
        platform.putAlias(
            new AliasUpdate(
                function,
                alias,
                target,
                expectedRevision != null
                    ? expectedRevision
                    : current.map(Alias::revision).orElse(0L)));
    return "Alias "
        + alias
        + " of "
        + function
        + " -> "
        + moved.target()
        + routed(moved.target())
        + current.map(a -> " (was " + a.target() + ")").orElse(" (new alias)")
        + ", revision "
        + moved.revision();
  }

  /**
   * Points {@code alias} back at its previous target.
   *
   * @return the line to print
   */
  public String rollback(String function, String alias, Long expectedRevision) {
    Alias current =
        platform
            .describe(function)
            .flatMap(state -> state.alias(alias))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "alias", function + "/" + alias, "see the aliases with mvn fc:status"));
    if (current.previous() == null) {
      throw new FcException(
          "alias " + alias + " of " + function + " has no previous target to roll back to",
          "promote a version explicitly with mvn fc:promote -Dfc.alias="
              + alias
              + " -Dfc.version=N");
    }
    Alias moved =
        platform.putAlias(
            new AliasUpdate(
                function,
                alias,
                current.previous(),
                expectedRevision != null ? expectedRevision : current.revision()));
    return "Rolled back alias "
        + alias
        + " of "
        + function
        + ": "
        + current.target()
        + " -> "
        + moved.target()
        + ", revision "
        + moved.revision();
  }

  /**
   * On a platform with whole percents only (Knative), how the canary is really routed, e.g. {@code
   * " (routed 87/13 %: whole percents only, 12.5 % rounded to 13 %)"}; empty where the platform
   * routes the weight as given.
   */
  private String routed(AliasTarget target) {
    if (!target.hasCanary()) {
      return "";
    }
    BigDecimal routed = platform.routedWeight(target.canaryWeight());
    if (routed.compareTo(target.canaryWeight()) == 0) {
      return "";
    }
    String canary = routed.stripTrailingZeros().toPlainString();
    String note =
        " (routed "
            + BigDecimal.valueOf(100).subtract(routed).stripTrailingZeros().toPlainString()
            + "/"
            + canary
            + " %: whole percents only, "
            + target.canaryWeight().toPlainString()
            + " % rounded to "
            + canary
            + " %)";
    events.accept(FcEvent.warn("Canary weight" + note));
    return note;
  }

  private static int resolveVersion(FunctionState state, Integer version, String release) {
    if (version != null && release != null) {
      throw Hints.invalidRequest(
          "release", release, "name either fc.version or fc.release, not both");
    }
    if (version != null) {
      return state
          .version(version)
          .map(Version::number)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "version", "v" + version, "see the versions with mvn fc:status"));
    }
    if (release != null) {
      return state.versions().stream()
          .filter(v -> release.equals(v.releaseId()))
          .map(Version::number)
          .reduce((first, second) -> second)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "release", release, "publish the release first (fc:apply or fc:deploy)"));
    }
    throw Hints.missingRequest("version", "version or release to promote");
  }

  private static AliasTarget target(
      String alias, Optional<Alias> current, int number, String weight, String affinity) {
    if (weight == null || weight.isBlank()) {
      return AliasTarget.of(number);
    }
    BigDecimal share;
    try {
      share = new BigDecimal(weight.trim());
    } catch (NumberFormatException e) {
      throw Hints.invalidRequest("weight", weight, "expected a percentage such as 10 or 2.5");
    }
    Affinity split;
    try {
      split = Affinity.valueOf(affinity.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("affinity", affinity, "expected none or key");
    }
    if (current.isEmpty()) {
      throw Hints.invalidRequest(
          "weight",
          weight,
          "alias " + alias + " does not exist yet; promote a version without a weight first");
    }
    try {
      return AliasTarget.canary(current.get().target().version(), number, share, split);
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("weight", weight, e.getMessage());
    }
  }
}
