package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * A live alias: a named pointer to a version (or a canary split) with a revision that changes on
 * every update, used for optimistic concurrency.
 *
 * @param function the function's name
 * @param name the alias name, e.g. {@code dev} or {@code prod}
 * @param target where it points now
 * @param revision increases on every change; updates must name the revision they saw
 * @param previous where it pointed before the last change (the target of a rollback), or null
 */
public record Alias(
    String function, String name, AliasTarget target, long revision, AliasTarget previous) {

  public Alias {
    requireNonNull(function, "function");
    requireNonNull(name, "name");
    requireNonNull(target, "target");
    checkName(name);
  }

  /** Throws {@link IllegalArgumentException} unless {@code name} is a valid alias name. */
  public static void checkName(String name) {
    if (!name.matches("[a-z]([-a-z0-9]{0,30}[a-z0-9])?") || name.matches("v[0-9]+")) {
      throw new IllegalArgumentException(
          "alias name must be 1-32 lower case letters, digits or '-', start with a letter and not"
              + " look like a version (v1, v2...), was '"
              + name
              + "'");
    }
  }
}
