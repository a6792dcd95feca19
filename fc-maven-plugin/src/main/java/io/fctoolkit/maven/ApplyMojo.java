package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.core.gitops.Applier;
import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.Planner;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Makes an environment's live platform match its gitops files: validates every file first (nothing
 * is applied when anything is invalid), then publishes missing releases, moves aliases and updates
 * triggers, and prints what it did. A failed step fails the build naming what was and was not
 * applied; running it again completes the rest. Skipped with {@code -Dfc.apply.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "apply", aggregator = true, requiresProject = false, threadSafe = true)
public class ApplyMojo extends AbstractGitOpsMojo {

  @Override
  String goal() {
    return "apply";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = environment();
    GitOpsRepository repository = repository();
    ApplyReport report;
    try (Platform platform = connect(fc, repository.environment(name), true)) {
      Plan plan = fc.step("plan", () -> new Planner(repository).plan(name, platform));
      // Before apply, which refuses rollout drift under driftPolicy fail: the revert is the fix.
      GitVia.revertFailedRollouts(this, fc, repository, plan, platform);
      report = fc.step("apply", () -> new Applier(repository, fc.events()).apply(plan, platform));
    }
    String text = report.toText();
    if (!report.succeeded()) {
      getLog().error(text.strip());
      throw new MojoExecutionException(failure(report));
    }
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        getLog().info(line);
      }
    }
  }

  /** Names what was applied and what was not. */
  static String failure(ApplyReport report) {
    StringBuilder out =
        new StringBuilder("fc:apply to ")
            .append(report.environment())
            .append(" stopped: ")
            .append(report.applied().size())
            .append(" of ")
            .append(report.steps().size())
            .append(" step(s) applied.");
    report.applied().forEach(s -> out.append("\n  applied: ").append(s.description()));
    for (ApplyReport.Step step : report.notApplied()) {
      out.append("\n  not applied: ").append(step.description());
      if (step.error() != null) {
        out.append(" (failed: ").append(step.error()).append(')');
      }
    }
    out.append("\nFix the failure and run fc:apply again: it completes the rest.");
    return out.toString();
  }
}
