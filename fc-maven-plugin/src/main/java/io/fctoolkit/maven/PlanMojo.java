package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.PlanRenderer;
import io.fctoolkit.core.gitops.Planner;
import io.fctoolkit.maven.internal.FieldPositions;
import io.fctoolkit.maven.internal.GitOpsRequests;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compares an environment's gitops files with its live platform and prints the plan: releases to
 * publish, alias moves, trigger changes (flagging offset resets) and drift. Also writes it as
 * Markdown (a pull-request comment) and JSON to {@code target/fc/plan-<env>.md} and {@code .json}.
 * Skipped with {@code -Dfc.plan.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "plan", aggregator = true, requiresProject = false, threadSafe = true)
public class PlanMojo extends AbstractGitOpsMojo {

  /**
   * Fails the build when the plan has changes, with a message starting {@code
   * FC_PLAN_CHANGES_PENDING}, and writes {@code target/fc/plan-<env>.exitcode} (0 no changes, 2
   * changes, 1 a plan apply would refuse), so a pipeline tells "changes" from "error".
   *
   * <pre>
   * &lt;detailedExitCode&gt;true&lt;/detailedExitCode&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.plan.detailedExitCode", defaultValue = "false")
  boolean detailedExitCode;

  /**
   * Also write the plan as Markdown (a pull-request comment) to this file, besides {@code
   * target/fc/plan-<env>.md}.
   *
   * <pre>
   * &lt;planOutput&gt;${project.build.directory}/fc/plan.md&lt;/planOutput&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.plan.output")
  File planOutput;

  @Override
  String goal() {
    return "plan";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = environment();
    Path build = fc.project().buildDirectory();
    Path exitFile = GitOpsRequests.planFile(build, name, "exitcode");
    Files.deleteIfExists(exitFile); // a stale "0" must never pass for this run's result
    GitOpsRepository repository = repository();
    Plan plan;
    try (Platform platform = connect(fc, repository.environment(name), false)) {
      plan = fc.step("plan", () -> new Planner(repository).plan(name, platform));
      GitVia.revertFailedRollouts(this, fc, repository, plan, platform);
    }
    // Rollout notes name environment-file paths: point each at its line.
    FieldPositions positions = FieldPositions.of(repository, repository.environment(name));
    for (String line : positions.annotate(PlanRenderer.text(plan)).split("\n", -1)) {
      if (!line.isEmpty()) {
        getLog().info(line);
      }
    }
    Path markdown = GitOpsRequests.planFile(build, name, "md");
    Path json = GitOpsRequests.planFile(build, name, "json");
    Files.createDirectories(markdown.getParent());
    Files.writeString(
        markdown, positions.annotate(PlanRenderer.markdown(plan)), StandardCharsets.UTF_8);
    Files.writeString(json, positions.annotate(PlanRenderer.json(plan)), StandardCharsets.UTF_8);
    Files.writeString(
        exitFile,
        (plan.refusal() != null ? 1 : GitOpsRequests.detailedExitCode(plan)) + "\n",
        StandardCharsets.UTF_8);
    getLog().info("Plan written to " + markdown + " and " + json);
    if (planOutput != null) {
      Path extra = planOutput.toPath().toAbsolutePath();
      Files.createDirectories(extra.getParent());
      Files.writeString(
          extra, positions.annotate(PlanRenderer.markdown(plan)), StandardCharsets.UTF_8);
      getLog().info("Wrote " + extra);
    }
    if (plan.refusal() != null) {
      throw new FcException(
          "fc:apply would refuse this plan: " + positions.annotate(plan.refusal()),
          "see the plan above");
    }
    String changes = GitOpsRequests.changesMessage(plan, detailedExitCode, json);
    if (changes != null) {
      throw new MojoFailureException(changes);
    }
  }
}
