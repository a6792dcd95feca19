package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.core.gitops.DerivedFiles;
import io.fctoolkit.core.gitops.GitOpsRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Renders a pull-mode environment's manifests again when a promotion or rollback edits its file,
 * into the same commit: the merged pull request then changes what Argo CD or Flux apply, not only
 * the environment file. An environment is in pull mode when its rendered folder ({@code
 * gitops/rendered/<env>/} with a {@code kustomization.yaml}) is committed; in push mode nothing is
 * rendered, {@code fc:apply} reads the file.
 */
public final class PullModeRendering implements DerivedFiles {

  private final Function<PlatformConnection, PlatformProvider> providers;

  /**
   * @param providers the provider of a connection's platform type (Knative renders)
   */
  public PullModeRendering(Function<PlatformConnection, PlatformProvider> providers) {
    this.providers = requireNonNull(providers, "providers");
  }

  /** Whether {@code environment}'s rendered manifests are committed under {@code gitops}. */
  public static boolean isPullMode(Path gitops, String environment) {
    return Files.isRegularFile(
        EnvironmentRendering.renderDir(gitops, environment).resolve("kustomization.yaml"));
  }

  @Override
  public List<String> update(Path gitopsDir, String environment) {
    if (!isPullMode(gitopsDir, environment)) {
      return List.of();
    }
    EnvironmentRendering.render(
        GitOpsRepository.open(gitopsDir),
        environment,
        EnvironmentRendering.renderDir(gitopsDir, environment),
        providers);
    return List.of("rendered/" + environment);
  }
}
