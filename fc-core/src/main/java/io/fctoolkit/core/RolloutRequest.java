package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A request to roll an alias out to a new version progressively.
 *
 * @param function the function
 * @param alias the alias, which must exist and point at one version
 * @param canaryVersion the version to roll out
 * @param release the canary's release id (so status and plans speak Git's names), or null
 * @param strategy steps, samples and checks
 * @param expectedRevision the alias revision the caller saw, or null for "whatever it is"
 * @param smoke invocations the new version must answer as expected before its first traffic
 */
public record RolloutRequest(
    String function,
    String alias,
    int canaryVersion,
    String release,
    RolloutStrategy strategy,
    Long expectedRevision,
    List<SmokeRequest> smoke) {

  /** A request without smoke invocations. */
  public RolloutRequest(
      String function,
      String alias,
      int canaryVersion,
      String release,
      RolloutStrategy strategy,
      Long expectedRevision) {
    this(function, alias, canaryVersion, release, strategy, expectedRevision, List.of());
  }

  public RolloutRequest {
    smoke = smoke == null ? List.of() : List.copyOf(smoke);
    requireNonNull(function, "function");
    requireNonNull(alias, "alias");
    requireNonNull(strategy, "strategy");
    Alias.checkName(alias);
    if (canaryVersion < 1) {
      throw new IllegalArgumentException("canaryVersion must be 1 or more, was " + canaryVersion);
    }
  }
}
