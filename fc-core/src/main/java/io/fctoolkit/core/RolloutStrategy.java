package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * How an alias moves to a new version: canary weights in steps, each held until the canary has
 * served enough samples (invocations, trigger records included) and at least {@code interval}, then
 * checked by {@link RolloutGates}. A step passes and the next weight follows; after the last step
 * the canary becomes the alias's only version. A failed check moves the alias back to the primary
 * at once.
 *
 * @param steps canary weights in percent, increasing, each above 0 and below 100
 * @param minSamples samples the canary must serve in a step before the step is judged
 * @param interval shortest time a step lasts, and how often it is checked
 * @param maxStepTime longest a step waits for its samples; then {@code onInconclusive}
 * @param onInconclusive what a step that timed out with too few samples does
 * @param gates the checks
 * @param approveBefore the steps (1-based; {@code steps().size() + 1} is the promotion to 100%) a
 *     person approves before the alias moves to them: the rollout waits in {@code
 *     AWAITING_APPROVAL} once the step before passed. Step 1 is never listed: starting the rollout
 *     is the approval of its first step. Empty: no approval.
 */
public record RolloutStrategy(
    List<BigDecimal> steps,
    long minSamples,
    Duration interval,
    Duration maxStepTime,
    Inconclusive onInconclusive,
    RolloutGates gates,
    List<Integer> approveBefore) {

  /** What a step that reached its maximum time with too few samples does. */
  public enum Inconclusive {
    /** Back to the primary: nothing promotes blindly. */
    ROLLBACK,
    /** Stay at the step's weight and keep waiting for samples. */
    HOLD
  }

  /**
   * Steps 10% and 50%, 100 samples, 10 s interval, 10 min per step, rollback, default gates, no
   * approval.
   */
  public static RolloutStrategy defaults() {
    return new RolloutStrategy(
        List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
        100,
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        Inconclusive.ROLLBACK,
        RolloutGates.DEFAULT);
  }

  /** A strategy that no person approves: every step follows when the one before passed. */
  public RolloutStrategy(
      List<BigDecimal> steps,
      long minSamples,
      Duration interval,
      Duration maxStepTime,
      Inconclusive onInconclusive,
      RolloutGates gates) {
    this(steps, minSamples, interval, maxStepTime, onInconclusive, gates, List.of());
  }

  /** Whether a person approves the move to {@code stepNumber} (1-based; n + 1 is 100%). */
  public boolean approvesBefore(int stepNumber) {
    return approveBefore.contains(stepNumber);
  }

  /**
   * {@code w} without trailing zeros but never in exponent form: JSON trees strip zeros, so 10
   * would otherwise come back as 1E+1.
   */
  public static BigDecimal plain(BigDecimal w) {
    BigDecimal stripped = w.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  public RolloutStrategy {
    requireNonNull(steps, "steps");
    requireNonNull(interval, "interval");
    requireNonNull(maxStepTime, "maxStepTime");
    requireNonNull(onInconclusive, "onInconclusive");
    requireNonNull(gates, "gates");
    steps = steps.stream().map(RolloutStrategy::plain).toList();
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("steps must name at least one canary weight");
    }
    BigDecimal previous = BigDecimal.ZERO;
    for (BigDecimal step : steps) {
      if (step.compareTo(previous) <= 0 || step.compareTo(BigDecimal.valueOf(100)) >= 0) {
        throw new IllegalArgumentException(
            "steps must increase and lie above 0 and below 100 percent, were "
                + steps.stream().map(BigDecimal::toPlainString).toList());
      }
      previous = step;
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be 1 or more, was " + minSamples);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    approveBefore = approveBefore == null ? List.of() : List.copyOf(approveBefore);
    for (int n : approveBefore) {
      if (n < 2 || n > steps.size() + 1) {
        throw new IllegalArgumentException(
            "approveBefore names step "
                + n
                + ", but only steps 2 to "
                + (steps.size() + 1)
                + " can wait for approval ("
                + (steps.size() + 1)
                + " is the promotion to 100%; starting the rollout approves step 1)");
      }
    }
    if (approveBefore.stream().distinct().count() < approveBefore.size()) {
      throw new IllegalArgumentException("approveBefore names a step twice: " + approveBefore);
    }
    if (maxStepTime.compareTo(interval) < 0) {
      throw new IllegalArgumentException(
          "maxStepTime (" + maxStepTime + ") must be at least the interval (" + interval + ")");
    }
  }
}
