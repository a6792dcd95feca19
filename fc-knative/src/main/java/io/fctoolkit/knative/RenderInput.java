package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.TriggerSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the renderer needs for one function in one environment, independent of how the gitops
 * files are laid out.
 *
 * @param namespace the Kubernetes namespace
 * @param function the function's name
 * @param versions the versions that must exist, each with its number, image digest and config; the
 *     highest number becomes the Service's template
 * @param aliases the aliases in a stable order (the first owns the default route when there is no
 *     alias named {@code primaryAlias})
 * @param triggers the Kafka triggers of the function
 * @param primaryAlias the alias that owns the default route, {@code prod} if null
 * @param kafkaBootstrapServers the Kafka cluster of triggers that name none, or null
 */
public record RenderInput(
    String namespace,
    String function,
    List<RenderVersion> versions,
    List<RenderAlias> aliases,
    List<TriggerSpec> triggers,
    String primaryAlias,
    String kafkaBootstrapServers) {

  /**
   * One version to render.
   *
   * @param number the platform version number; its revision is {@code <function>-v<N>}
   * @param image the image, pinned by digest
   * @param releaseId the Git release id, or null
   * @param config the configuration the version runs with
   */
  public record RenderVersion(int number, ImageRef image, String releaseId, FunctionConfig config) {
    public RenderVersion {
      requireNonNull(image, "image");
      requireNonNull(config, "config");
      if (number < 1) {
        throw new InvalidRequestException(
            "versions[].number", "version numbers start at 1, was " + number, null);
      }
      if (!image.isPinned()) {
        throw new InvalidRequestException(
            "versions[v" + number + "].image",
            "image " + image + " is not pinned by digest",
            "Knative revisions must run an image by digest: use repository@sha256:...");
      }
    }
  }

  /**
   * One alias to render.
   *
   * @param name the alias name
   * @param target the version (and canary) it points at
   * @param rollout the progressive rollout Flagger runs for it, or null to move it at once
   */
  public record RenderAlias(String name, AliasTarget target, RolloutStrategy rollout) {
    public RenderAlias {
      requireNonNull(name, "name");
      requireNonNull(target, "target");
      Alias.checkName(name);
    }

    /** An alias moved at once. */
    public RenderAlias(String name, AliasTarget target) {
      this(name, target, null);
    }
  }

  public RenderInput {
    requireNonNull(namespace, "namespace");
    requireNonNull(function, "function");
    FunctionConfig.checkName(function);
    versions = List.copyOf(versions);
    aliases = List.copyOf(aliases);
    triggers = List.copyOf(triggers);
    if (primaryAlias == null) {
      primaryAlias = KnativeOptions.DEFAULT_PRIMARY_ALIAS;
    }
    if (versions.isEmpty()) {
      throw new InvalidRequestException(
          "versions",
          "function " + function + " has no version to render",
          "publish a release first (a Knative Service needs a revision)");
    }
    Set<Integer> numbers = new HashSet<>();
    for (RenderVersion v : versions) {
      if (!numbers.add(v.number())) {
        throw new InvalidRequestException(
            "versions[v" + v.number() + "]", "version " + v.number() + " is listed twice", null);
      }
      if (!v.config().name().equals(function)) {
        throw new InvalidRequestException(
            "versions[v" + v.number() + "].config.name",
            "is '" + v.config().name() + "' but the function is '" + function + "'",
            null);
      }
    }
    Set<String> names = new HashSet<>();
    for (RenderAlias a : aliases) {
      if (!names.add(a.name())) {
        throw new InvalidRequestException(
            "aliases." + a.name(), "alias " + a.name() + " is listed twice", null);
      }
      checkVersion(numbers, "aliases." + a.name() + ".version", a.target().version());
      if (a.target().hasCanary()) {
        checkVersion(numbers, "aliases." + a.name() + ".canaryVersion", a.target().canaryVersion());
      }
    }
    Set<String> triggerNames = new HashSet<>();
    for (TriggerSpec t : triggers) {
      if (!t.function().equals(function)) {
        throw new InvalidRequestException(
            "triggers." + t.name() + ".function",
            "is '" + t.function() + "' but the function is '" + function + "'",
            null);
      }
      if (!triggerNames.add(t.name())) {
        throw new InvalidRequestException(
            "triggers." + t.name(), "trigger " + t.name() + " is listed twice", null);
      }
      if (!names.contains(t.alias())) {
        throw new InvalidRequestException(
            "triggers." + t.name() + ".alias",
            "alias '" + t.alias() + "' is not defined in this environment",
            "define the alias, or point the trigger at one of " + names);
      }
    }
  }

  private static void checkVersion(Set<Integer> numbers, String field, int version) {
    if (!numbers.contains(version)) {
      throw new InvalidRequestException(
          field,
          "version " + version + " is not among the rendered versions " + numbers,
          "add the release that has this version, or point the alias at an existing one");
    }
  }
}
