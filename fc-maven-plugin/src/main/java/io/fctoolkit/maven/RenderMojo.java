package io.fctoolkit.maven;

import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.KnativeFinding;
import io.fctoolkit.knative.RenderedManifests;
import io.fctoolkit.maven.internal.EnvironmentRendering;
import java.nio.file.Path;
import java.util.List;
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
    requireKnative();
    String name = environment();
    Path gitops = gitopsFolder();
    RenderedManifests rendered = EnvironmentRendering.render(GitOpsRepository.open(gitops), name);
    Path out = renderDir(gitops, name);
    List<Path> written = rendered.writeTo(out);
    for (KnativeFinding finding : rendered.findings()) {
      getLog().warn(String.valueOf(finding));
    }
    getLog()
        .info("Rendered " + rendered.manifests().size() + " object(s) of " + name + " into " + out);
    written.forEach(p -> getLog().info("  " + out.relativize(p)));
  }

  /** {@code gitops/rendered/<env>/}: where the Argo CD and Flux examples point. */
  static Path renderDir(Path gitops, String environment) {
    return EnvironmentRendering.renderDir(gitops, environment);
  }
}
