package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * A request to create or move an alias.
 *
 * @param function the function's name
 * @param alias the alias name
 * @param target where it should point
 * @param expectedRevision the revision the caller last saw: 0 means "must not exist yet", {@code
 *     null} means "whatever it is" (only for interactive use; pipelines always pass one)
 */
public record AliasUpdate(
    String function, String alias, AliasTarget target, Long expectedRevision) {

  public AliasUpdate {
    requireNonNull(function, "function");
    requireNonNull(alias, "alias");
    requireNonNull(target, "target");
    Alias.checkName(alias);
  }
}
