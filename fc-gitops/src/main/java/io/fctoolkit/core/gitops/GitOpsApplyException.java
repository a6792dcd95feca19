package io.fctoolkit.core.gitops;

import io.fctoolkit.core.FcException;

/** An apply that stopped at a failed step; the report says what was and was not applied. */
public class GitOpsApplyException extends FcException {

  private static final long serialVersionUID = 1L;

  private final transient ApplyReport report;

  public GitOpsApplyException(ApplyReport report) {
    super(
        "apply to " + report.environment() + " failed:\n" + report.toText(),
        "fix the cause of the failed step, then run apply again: it completes what is missing");
    this.report = report;
  }

  public ApplyReport report() {
    return report;
  }
}
