package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.State;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The next {@link RolloutStatus} of a rollout, as pure functions: after a decision, after an
 * evaluation, and after a restart (reconciled with its alias). The controller decides and moves;
 * this only builds the records.
 */
final class RolloutTransitions {

  private RolloutTransitions() {}

  /**
   * A rollout's first record: started at {@code weight}, or (state finished) stopped before any
   * traffic, e.g. by a failed smoke invocation.
   */
  static RolloutStatus first(
      RolloutRequest request,
      int primary,
      State state,
      BigDecimal weight,
      long revision,
      Instant now,
      String action,
      String reason) {
    return new RolloutStatus(
        request.function(),
        request.alias(),
        request.release(),
        primary,
        request.canaryVersion(),
        state,
        0,
        weight,
        revision,
        request.strategy(),
        now,
        now,
        0,
        List.of(),
        List.of(new Decision(now, action, 0, weight, 0, reason)),
        state.finished() ? reason : null);
  }

  /**
   * What a stored, unfinished rollout is once the runtime starts again, judged by its alias
   * (written before the rollout, so the truth after a crash between the two): still at one of its
   * steps, it goes on there (a held one stays held); found promoted or back at the primary, it ends
   * so; moved elsewhere or deleted, it is aborted.
   */
  static RolloutStatus reconcile(RolloutStatus s, Optional<Alias> alias, Instant now) {
    if (alias.isEmpty()) {
      String reason = "the alias was deleted while the runtime was down";
      return next(
          s,
          State.ABORTED,
          s.step(),
          s.weight(),
          s.aliasRevision(),
          now,
          "abort",
          0,
          reason,
          reason);
    }
    AliasTarget t = alias.get().target();
    long revision = alias.get().revision();
    if (t.hasCanary()
        && t.version() == s.primaryVersion()
        && t.canaryVersion() == s.canaryVersion()) {
      int step = indexOf(s.strategy(), t.canaryWeight());
      if (step >= 0 && s.state() != State.PROGRESSING && step == s.step()) {
        // Held by a person (paused, or awaiting approval): it stays held until they act.
        return with(s, s.gates(), 0, revision);
      }
      if (step >= 0) {
        // Counters live in memory: the step's samples count again from zero.
        return next(
            s,
            State.PROGRESSING,
            step,
            t.canaryWeight(),
            revision,
            now,
            "resume",
            0,
            "the runtime restarted: step " + (step + 1) + " counts its samples again from 0",
            null);
      }
    }
    if (!t.hasCanary() && t.version() == s.canaryVersion()) {
      String reason = "found promoted at start-up (the runtime stopped right after the move)";
      return next(
          s,
          State.PROMOTED,
          s.step(),
          BigDecimal.valueOf(100),
          revision,
          now,
          "promote",
          0,
          reason,
          reason);
    }
    if (!t.hasCanary() && t.version() == s.primaryVersion()) {
      String reason =
          "found back at version "
              + s.primaryVersion()
              + " at start-up (the runtime stopped right after the move back)";
      return next(
          s,
          State.ROLLED_BACK,
          s.step(),
          BigDecimal.ZERO,
          revision,
          now,
          "rollback",
          0,
          reason,
          reason);
    }
    String reason =
        "the alias was moved outside the rollout while the runtime was down (" + t + ")";
    return next(s, State.ABORTED, s.step(), s.weight(), revision, now, "abort", 0, reason, reason);
  }

  static int indexOf(RolloutStrategy strategy, BigDecimal weight) {
    for (int i = 0; i < strategy.steps().size(); i++) {
      if (strategy.steps().get(i).compareTo(weight) == 0) {
        return i;
      }
    }
    return -1;
  }

  /** {@code s} with the checks of its latest evaluation. */
  static RolloutStatus with(RolloutStatus s, List<Gate> gates, long samples) {
    return with(s, gates, samples, s.aliasRevision());
  }

  private static RolloutStatus with(
      RolloutStatus s, List<Gate> gates, long samples, long aliasRevision) {
    return new RolloutStatus(
        s.function(),
        s.alias(),
        s.release(),
        s.primaryVersion(),
        s.canaryVersion(),
        s.state(),
        s.step(),
        s.weight(),
        aliasRevision,
        s.strategy(),
        s.startedAt(),
        s.stepStartedAt(),
        samples,
        gates,
        s.history(),
        s.reason());
  }

  /**
   * {@code s} after a decision: the decision appended to the history; a progressing step starts its
   * clock and its samples afresh, anything else keeps them.
   */
  static RolloutStatus next(
      RolloutStatus s,
      State state,
      int step,
      BigDecimal weight,
      long revision,
      Instant now,
      String action,
      long samples,
      String why,
      String endReason) {
    List<Decision> history = new ArrayList<>(s.history());
    history.add(new Decision(now, action, step, weight, samples, why));
    return new RolloutStatus(
        s.function(),
        s.alias(),
        s.release(),
        s.primaryVersion(),
        s.canaryVersion(),
        state,
        step,
        weight,
        revision,
        s.strategy(),
        s.startedAt(),
        step == s.step() && state != State.PROGRESSING ? s.stepStartedAt() : now,
        state == State.PROGRESSING ? 0 : s.samples(),
        s.gates(),
        history,
        endReason);
  }
}
