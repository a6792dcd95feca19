package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * What an apply did, step by step: which changes were applied, which one failed and why, and which
 * were not attempted. A rerun of apply plans again from the live state and completes the rest.
 *
 * @param environment the environment's name
 * @param plan the plan that was applied
 * @param steps every step of the plan, in order, with its outcome
 */
public record ApplyReport(String environment, Plan plan, List<Step> steps) {

  public ApplyReport {
    requireNonNull(environment, "environment");
    requireNonNull(plan, "plan");
    steps = List.copyOf(steps);
  }

  /** Whether every step was applied. */
  public boolean succeeded() {
    return steps.stream().allMatch(s -> s.status() == Status.APPLIED);
  }

  public List<Step> applied() {
    return steps.stream().filter(s -> s.status() == Status.APPLIED).toList();
  }

  public List<Step> notApplied() {
    return steps.stream().filter(s -> s.status() != Status.APPLIED).toList();
  }

  /** Throws {@link GitOpsApplyException} carrying this report unless every step was applied. */
  public ApplyReport throwIfFailed() {
    if (!succeeded()) {
      throw new GitOpsApplyException(this);
    }
    return this;
  }

  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("Apply to ").append(environment).append(" (").append(plan.target()).append(")\n");
    if (steps.isEmpty()) {
      out.append("  nothing to do: the platform matches Git\n");
    }
    for (Step step : steps) {
      out.append("  [")
          .append(step.status().name().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append("] ")
          .append(step.description());
      if (step.error() != null) {
        out.append(": ").append(step.error());
      }
      out.append('\n');
    }
    out.append(
        succeeded()
            ? steps.size() + " step(s) applied.\n"
            : applied().size()
                + " of "
                + steps.size()
                + " step(s) applied; run apply again to complete the rest once the failure is"
                + " fixed.\n");
    return out.toString();
  }

  /** What happened to one step. */
  public enum Status {
    APPLIED,
    FAILED,
    NOT_ATTEMPTED
  }

  /**
   * One step of an apply.
   *
   * @param description what the step does, e.g. {@code publish grader release 2026-11-22.1}
   * @param status what happened
   * @param error why it failed (message and hint), or null
   */
  public record Step(String description, Status status, String error) {
    public Step {
      requireNonNull(description, "description");
      requireNonNull(status, "status");
    }
  }
}
