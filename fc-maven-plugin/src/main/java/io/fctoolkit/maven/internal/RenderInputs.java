package io.fctoolkit.maven.internal;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.DesiredFunction;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.gitops.AliasSpec;
import io.fctoolkit.core.gitops.EnvironmentFunction;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.PlatformBinding;
import io.fctoolkit.core.gitops.TriggerBinding;
import io.fctoolkit.core.gitops.TriggerDecl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an environment of gitops/ to the desired state a platform renders, one per function.
 *
 * <p>Version numbers follow one deterministic rule: a release's version is its 1-based position in
 * the function's release list of the environment file (the first release is v1). Promotions append
 * releases, so numbers are stable as long as releases are only appended; removing or reordering
 * releases renumbers the revisions after it (Knative then creates new revisions).
 */
public final class RenderInputs {

  private RenderInputs() {}

  /** One input per function of {@code environment}, in the file's order. */
  public static List<DesiredFunction> of(GitOpsRepository repository, String environment) {
    EnvironmentSpec env = repository.environment(environment);
    if (env.platform() instanceof PlatformBinding.Local) {
      throw new InvalidRequestException(
          "env",
          "'"
              + environment
              + "' runs on platform "
              + env.platform().type()
              + " ("
              + env.file()
              + "); fc:render writes the manifests of platforms that a GitOps controller syncs",
          "render a knative environment, or use fc:apply for a local one");
    }
    List<DesiredFunction> inputs = new ArrayList<>();
    for (EnvironmentFunction envFunction : env.functions()) {
      inputs.add(input(env, envFunction, repository.function(envFunction.name())));
    }
    return inputs;
  }

  /** The desired state of one function of an environment. */
  static DesiredFunction input(
      EnvironmentSpec env, EnvironmentFunction envFunction, FunctionSpec fn) {
    Map<String, Integer> numbers = versionNumbers(envFunction.releases());
    List<DesiredFunction.DesiredVersion> versions = new ArrayList<>();
    for (Release release : envFunction.releases()) {
      versions.add(
          new DesiredFunction.DesiredVersion(
              numbers.get(release.id()), release.image(), release.id(), fn.config()));
    }
    List<DesiredFunction.DesiredAlias> aliases = new ArrayList<>();
    for (AliasSpec alias : envFunction.aliases()) {
      // A rollout goes to the platform's renderer: Knative renders it for Flagger, and reports
      // what Flagger cannot run at the field's path (see FieldPositions).
      aliases.add(
          new DesiredFunction.DesiredAlias(
              alias.name(), target(env, fn, alias, numbers), alias.rollout()));
    }
    List<TriggerSpec> triggers = new ArrayList<>();
    for (TriggerDecl decl : fn.triggers()) {
      TriggerBinding binding = envFunction.trigger(decl.name()).orElse(null);
      if (binding != null && !binding.enabled()) {
        continue;
      }
      String alias = binding != null && binding.alias() != null ? binding.alias() : decl.alias();
      TriggerSpec spec = decl.toSpec(fn.name(), alias, env.bootstrapServers());
      if (binding != null && binding.ordering() != null) {
        spec = spec.toBuilder().ordering(binding.ordering()).build();
      }
      triggers.add(spec);
    }
    return new DesiredFunction(fn.name(), versions, aliases, triggers);
  }

  /** Release id to version number: the release's 1-based position in the environment's list. */
  public static Map<String, Integer> versionNumbers(List<Release> releases) {
    Map<String, Integer> numbers = new LinkedHashMap<>();
    for (Release release : releases) {
      numbers.putIfAbsent(release.id(), numbers.size() + 1);
    }
    return numbers;
  }

  private static AliasTarget target(
      EnvironmentSpec env, FunctionSpec fn, AliasSpec alias, Map<String, Integer> numbers) {
    int primary = number(env, fn, alias, alias.release(), numbers);
    if (!alias.hasCanary()) {
      return AliasTarget.of(primary);
    }
    int canary = number(env, fn, alias, alias.canaryRelease(), numbers);
    return AliasTarget.canary(primary, canary, alias.weight(), alias.affinity());
  }

  private static int number(
      EnvironmentSpec env,
      FunctionSpec fn,
      AliasSpec alias,
      String release,
      Map<String, Integer> numbers) {
    Integer number = numbers.get(release);
    if (number == null) {
      // Validation already refuses this; kept so a direct caller gets a clear message too.
      throw new InvalidRequestException(
          env.file(),
          fn.name() + " alias " + alias.name() + " names release " + release + ", not declared",
          "declare the release under releases: in " + env.file());
    }
    return number;
  }
}
