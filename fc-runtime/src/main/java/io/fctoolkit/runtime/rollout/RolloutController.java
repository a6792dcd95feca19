package io.fctoolkit.runtime.rollout;

import static io.fctoolkit.core.RolloutStatus.Verdict.FAIL;
import static io.fctoolkit.runtime.rollout.RolloutTransitions.next;
import static io.fctoolkit.runtime.rollout.RolloutTransitions.with;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.State;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs progressive rollouts on the local runtime: starts them, checks every progressing one on a
 * timer, moves the alias step by step, rolls back or promotes, and keeps each alias's latest
 * rollout in a {@link RolloutStore}. The alias is always written first and the rollout after it, so
 * after a crash between the two the alias is the truth and the rollout is reconciled with it at
 * start-up.
 *
 * <p>Decisions and moves take this object's lock; status reads never do (they read the latest
 * immutable {@link RolloutStatus}), so a dashboard polling the status never waits for a warm-up.
 */
public final class RolloutController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutController.class);

  private final RolloutTarget target;
  private final RolloutStore store;
  private final Clock clock;
  private final Map<Key, RolloutStatus> statuses = new ConcurrentHashMap<>();
  // The counters at the start of each progressing rollout's step; guarded by this.
  private final Map<Key, Window> windows = new HashMap<>();
  private final RolloutReporter reporter;
  private volatile ScheduledExecutorService ticker;

  private record Key(String function, String alias) {}

  private record Window(VersionCounters canary, VersionCounters primary) {}

  /** Loads the stored rollouts and reconciles the progressing ones with their aliases. */
  public RolloutController(
      RolloutTarget target, RolloutStore store, Clock clock, Consumer<FcEvent> events)
      throws IOException {
    this.target = target;
    this.store = store;
    this.clock = clock;
    this.reporter = new RolloutReporter(events);
    List<RolloutStatus> stored = store.load();
    synchronized (this) {
      for (RolloutStatus s : stored) {
        RolloutStatus now =
            s.state().finished()
                ? s
                : RolloutTransitions.reconcile(
                    s, target.alias(s.function(), s.alias()), clock.instant());
        statuses.put(new Key(s.function(), s.alias()), now);
      }
      if (stored.stream().anyMatch(s -> !s.state().finished())) {
        persist();
      }
    }
  }

  /** Checks every progressing rollout every {@code tick} on a thread of its own. */
  public synchronized void startTicking(Duration tick) {
    if (ticker != null) {
      return;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fc-rollout");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            tick();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            // The timer must survive anything one evaluation throws, or every rollout stalls.
            LOG.error("rollout check failed: {}", e.toString(), e);
          }
        },
        tick.toMillis(),
        tick.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The latest rollout of an alias, running or finished. */
  public Optional<RolloutStatus> status(String function, String alias) {
    return Optional.ofNullable(statuses.get(new Key(function, alias)));
  }

  /** Appends the {@code fc_rollout_*} metric families in the Prometheus text format. */
  public void renderMetrics(StringBuilder out) {
    reporter.metrics().render(out, all());
  }

  /** Every alias's latest rollout, by function and alias. */
  public List<RolloutStatus> all() {
    List<RolloutStatus> all = new ArrayList<>(statuses.values());
    all.sort(Comparator.comparing(RolloutStatus::function).thenComparing(RolloutStatus::alias));
    return all;
  }

  /**
   * Starts a rollout: the alias moves to the canary's first step (with key affinity, so a record
   * key or routing key stays on one version for the whole rollout) before this returns. The same
   * canary again while it progresses answers its status.
   */
  public synchronized RolloutStatus start(RolloutRequest request) throws InterruptedException {
    Key key = new Key(request.function(), request.alias());
    RolloutStatus current = statuses.get(key);
    String what = "alias '" + request.alias() + "' of function '" + request.function() + "'";
    if (current != null && !current.state().finished()) {
      if (current.canaryVersion() == request.canaryVersion()) {
        return current;
      }
      throw new ConflictException(
          what
              + " is rolling out version "
              + current.canaryVersion()
              + " (step "
              + (current.step() + 1)
              + ", "
              + current.weight().toPlainString()
              + "%)",
          "wait until it is promoted or rolled back, or abort it first");
    }
    Alias alias =
        target
            .alias(request.function(), request.alias())
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "alias",
                        request.function() + "/" + request.alias(),
                        "create the alias first: a rollout moves an existing alias"));
    if (request.expectedRevision() != null && request.expectedRevision() != alias.revision()) {
      throw ConflictException.staleRevision(what, request.expectedRevision(), alias.revision());
    }
    if (alias.target().hasCanary()) {
      throw new ConflictException(
          what + " has a canary already (" + alias.target() + ")",
          "move it to one version first: a rollout starts from one version");
    }
    int primary = alias.target().version();
    if (primary == request.canaryVersion()) {
      throw new InvalidRequestException(
          "canaryVersion",
          "version " + primary + " is what " + what + " serves already",
          "name the new version to roll out");
    }
    if (!request.smoke().isEmpty()) {
      // Before any traffic: a version that cannot answer its fixtures never serves a user.
      Optional<String> failed =
          SmokeCheck.run(target, request.function(), request.canaryVersion(), request.smoke());
      if (failed.isPresent()) {
        return decided(
            key,
            RolloutTransitions.first(
                request,
                primary,
                State.ROLLED_BACK,
                BigDecimal.ZERO,
                alias.revision(),
                clock.instant(),
                "smoke",
                failed.get()));
      }
    }
    BigDecimal first = request.strategy().steps().get(0);
    Alias moved =
        target.move(
            new AliasUpdate(
                request.function(),
                request.alias(),
                AliasTarget.canary(primary, request.canaryVersion(), first, Affinity.KEY),
                alias.revision()));
    windows.put(key, snapshot(request.function(), primary, request.canaryVersion()));
    RolloutStatus status =
        RolloutTransitions.first(
            request,
            primary,
            State.PROGRESSING,
            first,
            moved.revision(),
            clock.instant(),
            "start",
            "version "
                + request.canaryVersion()
                + " takes "
                + first.toPlainString()
                + "% from version "
                + primary
                + " (key affinity)"
                + (request.smoke().isEmpty()
                    ? ""
                    : ", after its "
                        + request.smoke().size()
                        + " smoke invocations answered as expected"));
    decided(key, status);
    return status;
  }

  /** Stops a running rollout (held or not) and moves the alias back to its primary at once. */
  public synchronized RolloutStatus abort(String function, String alias, String reason)
      throws InterruptedException {
    Key key = new Key(function, alias);
    RolloutStatus current = running(key);
    return back(key, current, State.ABORTED, "abort", reason == null ? "aborted" : reason, 0);
  }

  /**
   * Holds a progressing rollout at its weight: it advances no more until {@link #resume}, but a
   * failed check still rolls it back. Pausing a paused rollout answers its status.
   */
  public synchronized RolloutStatus pause(String function, String alias, String reason) {
    Key key = new Key(function, alias);
    RolloutStatus current = running(key);
    if (current.state() == State.PAUSED) {
      return current;
    }
    return decided(
        key,
        next(
            current,
            State.PAUSED,
            current.step(),
            current.weight(),
            current.aliasRevision(),
            clock.instant(),
            "pause",
            current.samples(),
            reason == null ? "paused" : reason,
            null));
  }

  /**
   * Lets a paused rollout go on. Its step starts over (clock and samples from zero), so the step is
   * judged on samples that all came after the resume. Resuming a progressing one answers its
   * status.
   */
  public synchronized RolloutStatus resume(String function, String alias, String reason) {
    Key key = new Key(function, alias);
    RolloutStatus current = running(key);
    if (current.state() == State.PROGRESSING) {
      return current;
    }
    windows.remove(key);
    return decided(
        key,
        next(
            current,
            State.PROGRESSING,
            current.step(),
            current.weight(),
            current.aliasRevision(),
            clock.instant(),
            "resume",
            current.samples(),
            reason == null ? "resumed" : reason,
            null));
  }

  /**
   * Gives the canary all traffic now, whatever step the rollout is at (a person's decision: the
   * remaining steps and checks are skipped).
   */
  public synchronized RolloutStatus promote(String function, String alias, String reason)
      throws InterruptedException {
    Key key = new Key(function, alias);
    RolloutStatus current = running(key);
    promote(key, current, reason == null ? "promoted by hand" : reason, current.samples());
    return statuses.get(key);
  }

  /** The alias's rollout if it runs (progressing or held). */
  private RolloutStatus running(Key key) {
    RolloutStatus current = statuses.get(key);
    if (current == null || current.state().finished()) {
      throw new NotFoundException(
          "running rollout",
          key.function() + "/" + key.alias(),
          current == null
              ? "this alias never had a rollout"
              : "its latest rollout is " + current.state() + " already");
    }
    return current;
  }

  /**
   * Checks every running rollout once and acts on the decisions; a held one (paused) only rolls
   * back on a failed check.
   */
  public synchronized void tick() throws InterruptedException {
    for (Map.Entry<Key, RolloutStatus> e : new ArrayList<>(statuses.entrySet())) {
      if (!e.getValue().state().finished()) {
        check(e.getKey(), e.getValue());
      }
    }
  }

  private void check(Key key, RolloutStatus s) throws InterruptedException {
    Window window = windows.get(key);
    if (window == null) {
      windows.put(key, snapshot(s.function(), s.primaryVersion(), s.canaryVersion()));
      return;
    }
    VersionCounters canary =
        target.counters(s.function(), s.canaryVersion()).minus(window.canary());
    VersionCounters primary =
        target.counters(s.function(), s.primaryVersion()).minus(window.primary());
    List<Gate> gates =
        GateCheck.evaluate(
            s.strategy(), canary, primary, target.triggered(s.function(), s.alias()));
    Instant now = clock.instant();
    RolloutMachine.Decision d =
        RolloutMachine.decide(
            s.strategy(), s.step(), s.stepStartedAt(), canary.requests(), gates, now);
    RolloutStatus measured = with(s, gates, canary.requests());
    if (s.state() != State.PROGRESSING && gates.stream().noneMatch(g -> g.verdict() == FAIL)) {
      // A held step waits for a person and never times out: only a failed check ends it.
      statuses.put(key, measured);
      return;
    }
    switch (d.action()) {
      case WAIT -> statuses.put(key, measured);
      case ROLLBACK ->
          back(key, measured, State.ROLLED_BACK, "rollback", d.reason(), canary.requests());
      case ADVANCE, PROMOTE -> {
        // the move's step number, 1-based: the step after this one, or n + 1 for 100%
        int moveTo = s.step() + 2;
        if (s.strategy().approvesBefore(moveTo)) {
          awaitApproval(key, measured, d.reason(), canary.requests(), moveTo);
        } else if (d.action() == RolloutMachine.Action.ADVANCE) {
          advance(key, measured, d.reason(), canary.requests());
        } else {
          promote(key, measured, d.reason(), canary.requests());
        }
      }
    }
  }

  private void awaitApproval(Key key, RolloutStatus s, String reason, long samples, int moveTo) {
    int steps = s.strategy().steps().size();
    String next =
        moveTo > steps
            ? "the promotion to 100%"
            : "step " + moveTo + " (" + s.strategy().steps().get(moveTo - 1).toPlainString() + "%)";
    decided(
        key,
        next(
            s,
            State.AWAITING_APPROVAL,
            s.step(),
            s.weight(),
            s.aliasRevision(),
            clock.instant(),
            "await",
            samples,
            reason + "; " + next + " waits for a person's approval",
            null));
  }

  /**
   * Makes the move a rollout awaits approval for: the next step, or the promotion after the last.
   *
   * @throws ConflictException when the rollout does not await approval
   */
  public synchronized RolloutStatus approve(String function, String alias, String reason)
      throws InterruptedException {
    Key key = new Key(function, alias);
    RolloutStatus current = running(key);
    if (current.state() != State.AWAITING_APPROVAL) {
      throw new ConflictException(
          "the rollout of alias '"
              + alias
              + "' of function '"
              + function
              + "' awaits no approval (it is "
              + current.state()
              + " at step "
              + (current.step() + 1)
              + ")",
          "approve when its state is AWAITING_APPROVAL; to skip the remaining steps, promote it");
    }
    String why = reason == null ? "approved" : reason;
    if (current.step() + 1 < current.strategy().steps().size()) {
      advance(key, current, why, current.samples());
    } else {
      promote(key, current, why, current.samples());
    }
    return statuses.get(key);
  }

  private void advance(Key key, RolloutStatus s, String reason, long samples)
      throws InterruptedException {
    int next = s.step() + 1;
    BigDecimal weight = s.strategy().steps().get(next);
    Alias moved;
    try {
      moved =
          target.move(
              new AliasUpdate(
                  s.function(),
                  s.alias(),
                  AliasTarget.canary(s.primaryVersion(), s.canaryVersion(), weight, Affinity.KEY),
                  s.aliasRevision()));
    } catch (ConflictException | NotFoundException e) {
      outside(key, s, e);
      return;
    } catch (FcException e) {
      back(
          key,
          s,
          State.ROLLED_BACK,
          "rollback",
          "the canary could not take the next step: " + e.getMessage(),
          samples);
      return;
    }
    Instant now = clock.instant();
    windows.put(key, snapshot(s.function(), s.primaryVersion(), s.canaryVersion()));
    decided(
        key,
        next(
            s,
            State.PROGRESSING,
            next,
            weight,
            moved.revision(),
            now,
            "advance",
            samples,
            reason,
            null));
  }

  private void promote(Key key, RolloutStatus s, String reason, long samples)
      throws InterruptedException {
    Alias moved;
    try {
      moved =
          target.move(
              new AliasUpdate(
                  s.function(), s.alias(), AliasTarget.of(s.canaryVersion()), s.aliasRevision()));
    } catch (ConflictException | NotFoundException e) {
      outside(key, s, e);
      return;
    } catch (FcException e) {
      back(
          key,
          s,
          State.ROLLED_BACK,
          "rollback",
          "the canary could not take all traffic: " + e.getMessage(),
          samples);
      return;
    }
    windows.remove(key);
    decided(
        key,
        next(
            s,
            State.PROMOTED,
            s.step(),
            BigDecimal.valueOf(100),
            moved.revision(),
            clock.instant(),
            "promote",
            samples,
            reason,
            "promoted: " + reason));
  }

  /** Moves the alias back to the primary; a failed move is retried at the next tick. */
  private RolloutStatus back(
      Key key, RolloutStatus s, State end, String action, String reason, long samples)
      throws InterruptedException {
    Alias moved;
    try {
      moved =
          target.moveBack(
              new AliasUpdate(
                  s.function(), s.alias(), AliasTarget.of(s.primaryVersion()), s.aliasRevision()));
    } catch (ConflictException | NotFoundException e) {
      return outside(key, s, e);
    } catch (FcException e) {
      LOG.error(
          "rollout function={} alias={} could not move back to v{} (retried at the next check): {}",
          s.function(),
          s.alias(),
          s.primaryVersion(),
          e.getMessage());
      statuses.put(key, s);
      return s;
    }
    windows.remove(key);
    return decided(
        key,
        next(
            s,
            end,
            s.step(),
            BigDecimal.ZERO,
            moved.revision(),
            clock.instant(),
            action,
            samples,
            reason,
            reason));
  }

  /** The alias was moved or deleted by someone else: the rollout stops and touches it no more. */
  private RolloutStatus outside(Key key, RolloutStatus s, FcException e) {
    windows.remove(key);
    String reason = "the alias was moved or deleted outside the rollout: " + e.getMessage();
    return decided(
        key,
        next(
            s,
            State.ABORTED,
            s.step(),
            s.weight(),
            s.aliasRevision(),
            clock.instant(),
            "abort",
            s.samples(),
            reason,
            reason));
  }

  private Window snapshot(String function, int primary, int canary) {
    return new Window(target.counters(function, canary), target.counters(function, primary));
  }

  /** Makes {@code status} the alias's latest, stores all, and reports the last decision. */
  private RolloutStatus decided(Key key, RolloutStatus status) {
    statuses.put(key, status);
    persist();
    reporter.decided(status);
    return status;
  }

  private void persist() {
    try {
      store.save(all());
    } catch (IOException e) {
      // The alias, written first, stays the truth: a restart reconciles the rollout with it.
      LOG.error("rollouts could not be stored: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
