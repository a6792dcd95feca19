package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The state one function should have in an environment, as Git declares it, for a platform to
 * render: its versions (numbered), its aliases in a stable order and its triggers.
 *
 * @param function the function's name
 * @param versions the versions that must exist; the highest number is the newest
 * @param aliases the aliases in the environment file's order
 * @param triggers the triggers that are enabled
 */
public record DesiredFunction(
    String function,
    List<DesiredVersion> versions,
    List<DesiredAlias> aliases,
    List<TriggerSpec> triggers) {

  public DesiredFunction {
    requireNonNull(function, "function");
    versions = List.copyOf(versions);
    aliases = List.copyOf(aliases);
    triggers = List.copyOf(triggers);
  }

  /**
   * One version.
   *
   * @param number the platform version number
   * @param image the image, pinned by digest
   * @param releaseId the Git release id, or null
   * @param config the configuration the version runs with
   */
  public record DesiredVersion(
      int number, ImageRef image, String releaseId, FunctionConfig config) {
    public DesiredVersion {
      requireNonNull(image, "image");
      requireNonNull(config, "config");
    }
  }

  /**
   * One alias.
   *
   * @param name the alias name
   * @param target the version (and canary) it points at
   * @param rollout how a platform that renders its rollouts (Knative with Flagger) moves the alias
   *     to {@code target}, or null to move it at once
   */
  public record DesiredAlias(String name, AliasTarget target, RolloutStrategy rollout) {
    public DesiredAlias {
      requireNonNull(name, "name");
      requireNonNull(target, "target");
    }

    /** An alias moved at once. */
    public DesiredAlias(String name, AliasTarget target) {
      this(name, target, null);
    }
  }
}
