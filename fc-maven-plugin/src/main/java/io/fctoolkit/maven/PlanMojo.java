package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.Planner;
import java.io.File;
import java.nio.file.Files;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what {@code fc:apply} would change in environment {@code fc.env}: compares {@code gitops/}
 * with the platform and changes nothing. Fails when apply would refuse the plan. Skipped with
 * {@code -Dfc.plan.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "plan", aggregator = true, requiresProject = false, threadSafe = true)
public class PlanMojo extends AbstractGitOpsMojo {

  /**
   * Also write the plan as Markdown (a pull-request comment) to this file.
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
    GitOpsRepository repository = repository();
    EnvironmentSpec environment = repository.environment(env);
    try (Platform platform = platformOf(environment, fc)) {
      Plan plan = new Planner(repository).plan(env, platform);
      plan.toText().lines().forEach(line -> getLog().info(line));
      if (planOutput != null) {
        Files.createDirectories(planOutput.toPath().toAbsolutePath().getParent());
        Files.writeString(planOutput.toPath(), plan.toMarkdown());
        getLog().info("Wrote " + planOutput);
      }
      if (plan.refusal() != null) {
        throw new FcException("fc:apply would refuse this plan: " + plan.refusal(), null);
      }
    }
  }
}
