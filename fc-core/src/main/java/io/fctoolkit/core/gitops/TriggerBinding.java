package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

/**
 * How an environment runs one of a function's triggers.
 *
 * @param name the trigger's name in the function file
 * @param alias the alias it invokes here, or null for the function file's default
 * @param enabled false deletes the trigger from this environment (an explicit, reviewable removal)
 */
public record TriggerBinding(String name, String alias, boolean enabled) {
  public TriggerBinding {
    requireNonNull(name, "name");
  }
}
