package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.SmokeRequest;
import java.util.Optional;

/** What a rollout needs of the runtime: the alias, its moves, and each version's counters. */
public interface RolloutTarget {

  /** The alias now, or empty when it (or its function) does not exist. */
  Optional<Alias> alias(String function, String alias);

  /**
   * Moves the alias as {@code PUT .../aliases/{a}} does: revision checked, scale before shift,
   * requests already routed finish where they are.
   */
  Alias move(AliasUpdate update) throws InterruptedException;

  /**
   * Moves the alias back to the version it served before (a rollback): revision checked like {@link
   * #move}, but without waiting for a warm-up, because that version never stopped serving.
   */
  Alias moveBack(AliasUpdate update) throws InterruptedException;

  /** The version's counters since the runtime started. */
  VersionCounters counters(String function, int version);

  /**
   * Sends one request to the version itself (not through an alias) and waits for its answer: a
   * rollout's pre-traffic smoke invocation.
   */
  InvokeResponse invokeVersion(String function, int version, SmokeRequest request)
      throws InterruptedException;

  /** Whether a trigger invokes the alias (then record checks apply). */
  boolean triggered(String function, String alias);
}
