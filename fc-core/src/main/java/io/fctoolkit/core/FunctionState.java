package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a platform holds for one function right now.
 *
 * @param name the function's name
 * @param versions its versions, by number
 * @param aliases its aliases, by name
 * @param triggers its triggers, by name
 */
public record FunctionState(
    String name, List<Version> versions, List<Alias> aliases, List<TriggerSpec> triggers) {

  public FunctionState {
    requireNonNull(name, "name");
    versions = List.copyOf(versions);
    aliases = List.copyOf(aliases);
    triggers = List.copyOf(triggers);
  }

  public Optional<Version> version(int number) {
    return versions.stream().filter(v -> v.number() == number).findFirst();
  }

  public Optional<Version> versionWithContent(String contentId) {
    return versions.stream().filter(v -> v.contentId().equals(contentId)).findFirst();
  }

  public Optional<Alias> alias(String name) {
    return aliases.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  public Optional<TriggerSpec> trigger(String name) {
    return triggers.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
