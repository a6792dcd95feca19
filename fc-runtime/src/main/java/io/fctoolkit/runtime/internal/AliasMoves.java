package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import io.fctoolkit.runtime.EventJournal;
import io.fctoolkit.runtime.internal.StateStore.FunctionEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Creates, moves and deletes aliases: the revision check, the warm-up before a move (scale before
 * shift), the state write, and which pools aliases route to.
 *
 * <p>It also owns the per-function locks that every change of a function's aliases, versions or
 * triggers takes (see {@link #lockOf}): one function's slow warm-up never holds up another's, and
 * an alias move waits for its warm-up, bounded only by the start timeout. Publishes take the
 * Publisher's own lock (never both, so there is no lock order to keep).
 */
final class AliasMoves {

  private final StateStore state;
  private final VersionPools pools;
  private final EventJournal journal;
  private final Consumer<FcEvent> events;
  private final Duration startTimeout;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  AliasMoves(
      StateStore state,
      VersionPools pools,
      EventJournal journal,
      Consumer<FcEvent> events,
      Duration startTimeout) {
    this.state = state;
    this.pools = pools;
    this.journal = journal;
    this.events = events;
    this.startTimeout = startTimeout;
  }

  /** The lock that changes to {@code function}'s aliases, versions and triggers take. */
  Object lockOf(String function) {
    return locks.computeIfAbsent(function, f -> new Object());
  }

  /**
   * Creates or moves an alias: checks the revision, warms the new versions to the number of
   * instances the old ones use when {@code warm} (scale before shift), then switches; old instances
   * drain.
   */
  Alias put(AliasUpdate update, boolean warm) throws InterruptedException {
    synchronized (lockOf(update.function())) {
      FunctionEntry entry = state.requireFunction(update.function());
      AliasTarget target = update.target();
      StateStore.requireVersion(entry, target.version());
      if (target.canaryVersion() != null) {
        StateStore.requireVersion(entry, target.canaryVersion());
      }
      Alias current = entry.toState().alias(update.alias()).orElse(null);
      checkRevision(update.function(), update.alias(), current, update.expectedRevision());
      if (current != null && current.target().equals(target)) {
        return current;
      }
      if (warm) {
        warmFor(entry, current == null ? null : current.target(), target);
      }
      FunctionEntry after =
          state.update(
              update.function(),
              e -> {
                Alias now = e.toState().alias(update.alias()).orElse(null);
                long revision = now == null ? 1 : now.revision() + 1;
                return StateStore.withAlias(
                    e,
                    new Alias(
                        update.function(),
                        update.alias(),
                        target,
                        revision,
                        now == null ? null : now.target()));
              });
      refreshRouting(update.function());
      Alias result = after.toState().alias(update.alias()).orElseThrow();
      // Back to the target it had before its last move: what fc:rollback does.
      boolean back = current != null && target.equals(current.previous());
      journal.record(
          back ? EventJournal.ROLLBACK : EventJournal.ALIAS,
          update.function(),
          update.alias()
              + ": "
              + (current == null ? "created at " + target : current.target() + " -> " + target));
      events.accept(
          FcEvent.lifecycle("alias " + update.function() + "/" + update.alias() + " -> " + target));
      return result;
    }
  }

  /** Deletes an alias that no trigger uses. */
  void delete(String function, String alias, Long expectedRevision) {
    synchronized (lockOf(function)) {
      FunctionEntry entry = state.requireFunction(function);
      Alias current =
          entry.toState().alias(alias).orElseThrow(() -> StateStore.aliasNotFound(function, alias));
      checkRevision(function, alias, current, expectedRevision);
      for (TriggerSpec t : entry.triggers()) {
        if (t.alias().equals(alias)) {
          throw new ConflictException(
              "alias '"
                  + alias
                  + "' of function '"
                  + function
                  + "' is used by trigger '"
                  + t.name()
                  + "'",
              "delete trigger '" + t.name() + "' first");
        }
      }
      state.update(function, e -> StateStore.withoutAlias(e, alias));
      refreshRouting(function);
      journal.record(EventJournal.ALIAS_DELETE, function, alias + " deleted");
    }
  }

  /** Marks which pools aliases route to, so unrouted ones drain and retire. */
  void refreshRouting(String function) {
    Set<Integer> routed = new HashSet<>();
    FunctionEntry entry = state.function(function).orElse(null);
    if (entry != null) {
      for (Alias a : entry.aliases()) {
        routed.add(a.target().version());
        if (a.target().canaryVersion() != null) {
          routed.add(a.target().canaryVersion());
        }
      }
      for (int v : routed) {
        entry.toState().version(v).ifPresent(pools::pool);
      }
    }
    pools.markRouted(function, routed);
  }

  private static void checkRevision(String function, String alias, Alias current, Long expected) {
    if (expected == null) {
      return;
    }
    long actual = current == null ? 0 : current.revision();
    if (expected != actual) {
      throw ConflictException.staleRevision(
          "alias '" + alias + "' of function '" + function + "'", expected, actual);
    }
  }

  private void warmFor(FunctionEntry entry, AliasTarget from, AliasTarget to)
      throws InterruptedException {
    Set<Integer> old = new HashSet<>();
    int used = 0;
    if (from != null) {
      old.add(from.version());
      if (from.canaryVersion() != null) {
        old.add(from.canaryVersion());
      }
      for (int v : old) {
        VersionPool pool = pools.find(entry.name(), v);
        used += pool == null ? 0 : pool.instanceCount() + pool.startingCount();
      }
    }
    Map<Integer, Integer> want = new LinkedHashMap<>();
    BigDecimal canaryShare = to.canaryWeight().divide(BigDecimal.valueOf(100));
    double primaryShare = 1 - canaryShare.doubleValue();
    want.put(to.version(), (int) Math.ceil(used * primaryShare));
    if (to.canaryVersion() != null) {
      want.put(to.canaryVersion(), (int) Math.ceil(used * canaryShare.doubleValue()));
    }
    for (Map.Entry<Integer, Integer> w : want.entrySet()) {
      Version v = StateStore.requireVersion(entry, w.getKey());
      int count = Math.max(w.getValue(), v.config().scaling().minInstances());
      VersionPool pool = pools.pool(v);
      if (count > 0 && pool.instanceCount() < count) {
        try {
          pool.warm(count, startTimeout.plusSeconds(5), Duration.ofSeconds(60));
        } catch (FcException e) {
          throw new FcException(
              "alias not moved: version "
                  + v.number()
                  + " of '"
                  + entry.name()
                  + "' could not be warmed: "
                  + e.getMessage(),
              e.hint(),
              e);
        }
      }
    }
  }
}
