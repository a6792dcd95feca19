package io.fctoolkit.maven.internal;

import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.KnativeFinding;
import io.fctoolkit.knative.KnativeRenderer;
import io.fctoolkit.knative.RenderInput;
import io.fctoolkit.knative.RenderedManifests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests {@code fc:render} writes for a Knative environment, as one function shared by the
 * goal and the golden test that keeps the committed {@code gitops/rendered/<env>/} fresh.
 */
public final class EnvironmentRendering {

  private EnvironmentRendering() {}

  /** Every function of {@code environment}, rendered. */
  public static RenderedManifests render(GitOpsRepository repository, String environment) {
    List<RenderedManifests.Manifest> manifests = new ArrayList<>();
    List<KnativeFinding> findings = new ArrayList<>();
    for (RenderInput input : RenderInputs.of(repository, environment)) {
      RenderedManifests rendered = KnativeRenderer.render(input);
      manifests.addAll(rendered.manifests());
      findings.addAll(rendered.findings());
    }
    return new RenderedManifests(manifests, findings);
  }

  /** {@code gitops/rendered/<env>/}: where the Argo CD and Flux examples point. */
  public static Path renderDir(Path gitops, String environment) {
    return gitops.resolve("rendered").resolve(environment);
  }
}
