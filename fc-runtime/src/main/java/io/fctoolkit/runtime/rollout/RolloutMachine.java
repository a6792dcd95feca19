package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import io.fctoolkit.core.RolloutStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The decision rule of one step, a pure function of the strategy, the step's age and its checks: a
 * failed check rolls back at once; a step is judged only after its interval and with the minimum
 * samples, every check passed or skipped, and then advances (or promotes after the last step); too
 * few samples wait, up to the step's maximum time, then do what the strategy says for an
 * inconclusive step.
 */
public final class RolloutMachine {

  private RolloutMachine() {}

  /** What the controller does next. */
  public enum Action {
    WAIT,
    ADVANCE,
    PROMOTE,
    ROLLBACK
  }

  /**
   * A decision and its reason (one sentence, for the log and the history).
   *
   * @param action what to do
   * @param reason why
   */
  public record Decision(Action action, String reason) {}

  /**
   * @param step the current step's index
   * @param stepStartedAt when the step started
   * @param samples the canary's invocations in the step
   * @param gates the checks over the step's samples
   */
  public static Decision decide(
      RolloutStrategy strategy,
      int step,
      Instant stepStartedAt,
      long samples,
      List<Gate> gates,
      Instant now) {
    Duration age = Duration.between(stepStartedAt, now);
    boolean rateFailed = gates.stream().anyMatch(g -> g.verdict() == Verdict.FAIL && !latency(g));
    for (Gate gate : gates) {
      if (gate.verdict() == Verdict.FAIL
          && !rateFailed
          && latency(gate)
          && age.compareTo(strategy.interval()) < 0) {
        // Right after a weight change the canary's pool is still taking its new share and queues
        // for a moment; a latency failure is judged over at least the interval, so that moment
        // does not decide alone. Errors and dead letters are not transient like that: they fail
        // at once.
        return new Decision(
            Action.WAIT,
            "check "
                + gate.name()
                + " fails on "
                + gate.samples()
                + " samples; a latency check is judged over at least "
                + seconds(strategy.interval()));
      }
    }
    // a failed rate check is named first: it needs no interval to be sure
    List<Gate> failed =
        gates.stream()
            .filter(g -> g.verdict() == Verdict.FAIL)
            .sorted(java.util.Comparator.comparing(RolloutMachine::latency))
            .toList();
    if (!failed.isEmpty()) {
      Gate gate = failed.get(0);
      return new Decision(
          Action.ROLLBACK,
          "check "
              + gate.name()
              + " failed at step "
              + (step + 1)
              + " ("
              + strategy.steps().get(step).toPlainString()
              + "%): "
              + gate.detail());
    }
    long min = strategy.minSamples();
    boolean conclusive =
        samples >= min && gates.stream().noneMatch(g -> g.verdict() == Verdict.INCONCLUSIVE);
    if (conclusive) {
      if (age.compareTo(strategy.interval()) < 0) {
        return new Decision(
            Action.WAIT,
            "checks pass on " + samples + " samples; the step lasts " + interval(strategy));
      }
      boolean last = step == strategy.steps().size() - 1;
      return new Decision(
          last ? Action.PROMOTE : Action.ADVANCE,
          "every check passed at step "
              + (step + 1)
              + " on "
              + samples
              + " canary samples in "
              + seconds(age));
    }
    String missing =
        samples < min
            ? samples + " of " + min + " canary samples"
            : "a check still short of samples ("
                + gates.stream()
                    .filter(g -> g.verdict() == Verdict.INCONCLUSIVE)
                    .map(Gate::name)
                    .toList()
                + ")";
    if (age.compareTo(strategy.maxStepTime()) >= 0) {
      if (strategy.onInconclusive() == RolloutStrategy.Inconclusive.ROLLBACK) {
        return new Decision(
            Action.ROLLBACK,
            "inconclusive at step "
                + (step + 1)
                + ": "
                + missing
                + " after "
                + seconds(age)
                + " (maxStepTime "
                + seconds(strategy.maxStepTime())
                + "); nothing is promoted without samples");
      }
      return new Decision(Action.WAIT, "holding at step " + (step + 1) + ": " + missing);
    }
    return new Decision(Action.WAIT, "waiting for " + missing);
  }

  /** A check of latency (a quantile, or a ratio of quantiles) rather than of a rate. */
  private static boolean latency(Gate gate) {
    return "ms".equals(gate.unit()) || "x".equals(gate.unit());
  }

  private static String interval(RolloutStrategy strategy) {
    return "at least " + seconds(strategy.interval());
  }

  static String seconds(Duration d) {
    return GateCheck.fmt(Math.round(d.toMillis() / 100.0) / 10.0) + " s";
  }
}
