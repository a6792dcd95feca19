package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.DriftPolicy;
import io.fctoolkit.core.gitops.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyMojoTest {

  @Test
  void failure_namesWhatWasAndWasNotApplied() {
    Plan plan =
        new Plan(
            "dev",
            "local",
            DriftPolicy.OVERWRITE,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of());
    ApplyReport report =
        new ApplyReport(
            "dev",
            plan,
            List.of(
                new ApplyReport.Step("publish grader release r2", ApplyReport.Status.APPLIED, null),
                new ApplyReport.Step(
                    "move grader alias dev to r2", ApplyReport.Status.FAILED, "conflict"),
                new ApplyReport.Step(
                    "update grader trigger submissions", ApplyReport.Status.NOT_ATTEMPTED, null)));

    assertThat(ApplyMojo.failure(report))
        .isEqualTo(
            "fc:apply to dev stopped: 1 of 3 step(s) applied.\n"
                + "  applied: publish grader release r2\n"
                + "  not applied: move grader alias dev to r2 (failed: conflict)\n"
                + "  not applied: update grader trigger submissions\n"
                + "Fix the failure and run fc:apply again: it completes the rest.");
  }
}
