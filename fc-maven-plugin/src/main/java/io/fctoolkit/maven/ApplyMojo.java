package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.core.gitops.Applier;
import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Makes environment {@code fc.env} match {@code gitops/}: publishes missing releases, moves aliases
 * (the platform warms versions before traffic moves), updates triggers; refuses before changing
 * anything when the plan has errors. Skipped with {@code -Dfc.apply.skip=true}.
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
    GitOpsRepository repository = repository();
    EnvironmentSpec environment = repository.environment(env);
    try (Platform platform = platformOf(environment, fc)) {
      ApplyReport report = new Applier(repository, fc.events()).apply(env, platform);
      report.toText().lines().forEach(line -> getLog().info(line));
      report.throwIfFailed();
    }
  }
}
