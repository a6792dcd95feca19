package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Where a progressive rollout of an alias stands: its step and weight, each check's samples and
 * verdict at the last evaluation, and every decision taken so far with its time. The control API
 * answers it as JSON.
 *
 * @param function the function
 * @param alias the alias being moved
 * @param release the release id of the canary version, or null when not started from Git
 * @param primaryVersion the version the alias served before the rollout
 * @param canaryVersion the version being rolled out
 * @param state where the rollout is
 * @param step index of the current step in {@code strategy.steps()} (0-based)
 * @param weight the canary's weight now, in percent (0 after a rollback, 100 once promoted)
 * @param aliasRevision the alias revision the rollout wrote last
 * @param strategy the strategy it follows
 * @param startedAt when it started
 * @param stepStartedAt when the current step started (its samples count from then)
 * @param samples the canary's samples in the current step (invocations)
 * @param gates each check at the last evaluation
 * @param history every decision, oldest first
 * @param reason why it ended, or null while it runs
 */
public record RolloutStatus(
    String function,
    String alias,
    String release,
    int primaryVersion,
    int canaryVersion,
    State state,
    int step,
    BigDecimal weight,
    long aliasRevision,
    RolloutStrategy strategy,
    Instant startedAt,
    Instant stepStartedAt,
    long samples,
    List<Gate> gates,
    List<Decision> history,
    String reason) {

  /** The rollout's state. */
  public enum State {
    /** Moving step by step. */
    PROGRESSING,
    /**
     * Held at its weight by a person until resumed, promoted or aborted; a failed check still rolls
     * it back.
     */
    PAUSED,
    /**
     * The step passed and the next move waits for a person's approval ({@code approveBefore}); a
     * failed check still rolls it back, and it never times out.
     */
    AWAITING_APPROVAL,
    /** The canary took all traffic. */
    PROMOTED,
    /** A check failed (or a step timed out without enough samples): the primary took it back. */
    ROLLED_BACK,
    /** Stopped by a person, or by the alias being moved or deleted outside the rollout. */
    ABORTED;

    /** Whether the rollout ended: it moves its alias no more. */
    public boolean finished() {
      return this == PROMOTED || this == ROLLED_BACK || this == ABORTED;
    }
  }

  /** A check's outcome. */
  public enum Verdict {
    PASS,
    FAIL,
    /** Too few samples to decide either way. */
    INCONCLUSIVE,
    /** Not made (not configured, or not applicable: no trigger, too few primary samples). */
    SKIPPED
  }

  /**
   * One check at one evaluation.
   *
   * @param name e.g. {@code errorRate}, {@code p99}, {@code deadLetterRate}
   * @param threshold the limit, in {@code unit}
   * @param value the canary's value, in {@code unit}; null when nothing was measured
   * @param unit {@code %}, {@code ms} or {@code x} (a multiple of the primary's value)
   * @param samples the samples the value is made of
   * @param verdict the outcome
   * @param detail one sentence: what was compared
   */
  public record Gate(
      String name,
      double threshold,
      Double value,
      String unit,
      long samples,
      Verdict verdict,
      String detail) {
    public Gate {
      requireNonNull(name, "name");
      requireNonNull(verdict, "verdict");
    }
  }

  /**
   * A decision of the controller.
   *
   * @param at when
   * @param action {@code start}, {@code advance}, {@code promote}, {@code rollback}, {@code abort},
   *     {@code hold}, {@code pause}, {@code resume}, {@code await} or {@code approve}
   * @param step the step index it led to
   * @param weight the canary weight it led to
   * @param samples the canary's samples in the step it ended
   * @param reason why
   */
  public record Decision(
      Instant at, String action, int step, BigDecimal weight, long samples, String reason) {
    public Decision {
      requireNonNull(at, "at");
      requireNonNull(action, "action");
      weight = RolloutStrategy.plain(requireNonNull(weight, "weight"));
    }
  }

  public RolloutStatus {
    requireNonNull(function, "function");
    requireNonNull(alias, "alias");
    requireNonNull(state, "state");
    requireNonNull(weight, "weight");
    requireNonNull(strategy, "strategy");
    weight = RolloutStrategy.plain(weight);
    gates = gates == null ? List.of() : List.copyOf(gates);
    history = history == null ? List.of() : List.copyOf(history);
  }
}
