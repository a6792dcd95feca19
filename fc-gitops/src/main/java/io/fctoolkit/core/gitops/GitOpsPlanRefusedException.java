package io.fctoolkit.core.gitops;

import io.fctoolkit.core.FcException;

/**
 * An apply refused before changing anything: the plan has errors (the platform cannot express
 * something Git asks for) or drift under {@code driftPolicy: fail}.
 */
public class GitOpsPlanRefusedException extends FcException {

  private static final long serialVersionUID = 1L;

  private final transient Plan plan;

  public GitOpsPlanRefusedException(Plan plan) {
    super(
        "nothing was applied to "
            + plan.environment()
            + ": "
            + plan.refusal()
            + "\n"
            + PlanRenderer.text(plan),
        plan.errors().isEmpty()
            ? "bring Git in line with the live change (or undo it on the platform), or set"
                + " driftPolicy: overwrite to let apply undo it"
            : "change the gitops files so the platform can express them");
    this.plan = plan;
  }

  public Plan plan() {
    return plan;
  }
}
