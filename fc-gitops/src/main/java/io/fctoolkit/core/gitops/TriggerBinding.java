package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Ordering;

/**
 * How an environment runs one of a function's triggers.
 *
 * @param name the trigger's name in the function file
 * @param alias the alias it invokes here, or null for the function file's default
 * @param enabled false deletes the trigger from this environment (an explicit, reviewable removal)
 * @param ordering the ordering here, or null for the function file's; e.g. {@code partition} on
 *     Knative, which cannot order by key
 */
public record TriggerBinding(String name, String alias, boolean enabled, Ordering ordering) {
  public TriggerBinding {
    requireNonNull(name, "name");
  }
}
