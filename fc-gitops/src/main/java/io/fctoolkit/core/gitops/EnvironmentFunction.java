package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Release;
import java.util.List;
import java.util.Optional;

/**
 * One function's entry in an environment file: its releases, aliases and trigger bindings there.
 *
 * @param name the function's name (a function file must declare it)
 * @param releases the releases known in this environment, oldest first
 * @param aliases the aliases that should exist
 * @param triggers per-trigger bindings (alias, enabled)
 */
public record EnvironmentFunction(
    String name, List<Release> releases, List<AliasSpec> aliases, List<TriggerBinding> triggers) {

  public EnvironmentFunction {
    requireNonNull(name, "name");
    releases = List.copyOf(releases);
    aliases = List.copyOf(aliases);
    triggers = List.copyOf(triggers);
  }

  public Optional<Release> release(String id) {
    return releases.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public Optional<AliasSpec> alias(String aliasName) {
    return aliases.stream().filter(a -> a.name().equals(aliasName)).findFirst();
  }

  public Optional<TriggerBinding> trigger(String triggerName) {
    return triggers.stream().filter(t -> t.name().equals(triggerName)).findFirst();
  }
}
