package io.fctoolkit.maven;

import io.fctoolkit.core.Durations;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.gitops.Applier;
import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.Planner;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.RolloutFollower;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Makes an environment's live platform match its gitops files: validates every file first (nothing
 * is applied when anything is invalid), then publishes missing releases, moves aliases and updates
 * triggers, and prints what it did. A failed step fails the build naming what was and was not
 * applied; running it again completes the rest. Skipped with {@code -Dfc.apply.skip=true}.
 *
 * <p>With {@code -Dfc.apply.wait=15m} it also waits for the rollouts it started to end, printing
 * each step, as a deploy stage waits for its deployment: a rollout rolled back or aborted fails the
 * build with its reason after the revert is written (where the environment says {@code
 * onFailedRollout: revert-branch}), and one still running when the time is up fails it too (the
 * rollout goes on in the platform).
 *
 * @since 0.1.0
 */
@Mojo(name = "apply", aggregator = true, requiresProject = false, threadSafe = true)
public class ApplyMojo extends AbstractGitOpsMojo {

  /**
   * How long to wait for the rollouts this apply starts to end, a duration such as {@code 15m} or
   * {@code PT15M}; unset: return once they started (follow them with {@code fc:rollout}).
   *
   * <pre>
   * &lt;applyWait&gt;15m&lt;/applyWait&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.apply.wait")
  String applyWait;

  @Override
  String goal() {
    return "apply";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = environment();
    GitOpsRepository repository = repository();
    Optional<Duration> wait = waitTime();
    try (Platform platform = connect(fc, repository.environment(name), true)) {
      Plan plan = fc.step("plan", () -> new Planner(repository).plan(name, platform));
      // Before apply, which refuses rollout drift under driftPolicy fail: the revert is the fix.
      GitVia.revertFailedRollouts(this, fc, repository, plan, platform);
      Instant started = Instant.now();
      ApplyReport report =
          fc.step("apply", () -> new Applier(repository, fc.events()).apply(plan, platform));
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
      if (wait.isPresent()) {
        awaitRollouts(fc, repository, name, platform, plan, started, wait.get());
      }
    }
  }

  private Optional<Duration> waitTime() {
    if (applyWait == null || applyWait.isBlank()) {
      return Optional.empty();
    }
    Duration parsed =
        Durations.parse(applyWait.trim())
            .orElseThrow(
                () ->
                    Hints.invalidRequest(
                        "applyWait", applyWait, "a duration such as " + Durations.EXAMPLES));
    return Optional.of(parsed);
  }

  /**
   * Follows the rollouts {@code plan} started; on a failed one, plans again so that the revert of
   * the failed release is written (where the environment asks for it), then fails the build.
   */
  private void awaitRollouts(
      FcContext fc,
      GitOpsRepository repository,
      String name,
      Platform platform,
      Plan plan,
      Instant started,
      Duration wait)
      throws Exception {
    List<RolloutFollower.Target> targets =
        plan.aliases().stream()
            .filter(Plan.AliasChange::startsRollout)
            .map(c -> new RolloutFollower.Target(c.function(), c.alias()))
            .toList();
    if (targets.isEmpty()) {
      return;
    }
    getLog().info("waiting up to " + applyWait.trim() + " for the rollout(s) of " + targets);
    RolloutFollower.Outcome outcome =
        RolloutFollower.polling(platform::rollout, getLog()::info).follow(targets, started, wait);
    List<RolloutStatus> failed = outcome.failed();
    if (!failed.isEmpty()) {
      Plan after = fc.step("plan", () -> new Planner(repository).plan(name, platform));
      GitVia.revertFailedRollouts(this, fc, repository, after, platform);
      StringBuilder why = new StringBuilder("rollout failed in ").append(name).append(':');
      failed.forEach(s -> why.append("\n  ").append(RolloutFollower.line(s)));
      throw new MojoExecutionException(why.toString());
    }
    if (!outcome.running().isEmpty()) {
      StringBuilder why =
          new StringBuilder("rollout(s) still running after ").append(applyWait.trim());
      outcome.running().values().forEach(s -> why.append("\n  ").append(RolloutFollower.line(s)));
      why.append("\nThey go on in the platform: follow with mvn fc:rollout -Dfc.alias=<alias>");
      throw new MojoExecutionException(why.toString());
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
