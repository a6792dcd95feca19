package io.fctoolkit.maven;

import io.fctoolkit.core.RenderReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.maven.internal.EnvironmentRendering;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Renders a Knative environment's manifests into {@code gitops/rendered/<env>/} (with a {@code
 * kustomization.yaml}) for Argo CD or Flux to sync. Version {@code N} of a function is the N-th
 * release (1-based) of its release list in the environment file. Skipped with {@code
 * -Dfc.render.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "render", aggregator = true, requiresProject = false, threadSafe = true)
public class RenderMojo extends AbstractGitOpsMojo {

  @Override
  String goal() {
    return "render";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = environment();
    Path gitops = gitopsFolder();
    Path out = renderDir(gitops, name);
    RenderReport report =
        EnvironmentRendering.render(
            GitOpsRepository.open(gitops), name, out, this::platformProvider);
    report.warnings().forEach(warning -> getLog().warn(warning));
    getLog().info("Rendered " + report.objects() + " object(s) of " + name + " into " + out);
    report.written().forEach(p -> getLog().info("  " + out.relativize(p)));
  }

  /** {@code gitops/rendered/<env>/}: where the Argo CD and Flux examples point. */
  static Path renderDir(Path gitops, String environment) {
    return EnvironmentRendering.renderDir(gitops, environment);
  }
}
