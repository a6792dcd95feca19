package io.fctoolkit.maven;

import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.maven.internal.GitOpsRequests;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The frame of the gitops goals ({@code fc:plan}, {@code fc:apply}, {@code fc:render}): the gitops
 * folder and the environment; {@link AbstractFcMojo#connect} reaches the platform its environment
 * file declares, the same way for these goals and for {@code fc:deploy} and the others.
 */
public abstract class AbstractGitOpsMojo extends AbstractFcMojo {

  /**
   * The gitops folder; unset: the nearest {@code gitops/} (with {@code functions/} and {@code
   * environments/}) from the project's folder upwards. Also {@code -Dfc.gitops.dir}.
   *
   * <pre>
   * &lt;gitops&gt;${maven.multiModuleProjectDirectory}/gitops&lt;/gitops&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.gitops")
  File gitops;

  /** The gitops folder in use: {@code fc.gitops.dir}, else {@code <gitops>}, else located. */
  Path gitopsFolder() {
    return gitopsDir();
  }

  @Override
  String configuredGitops() {
    String configured = lookup("fc.gitops.dir");
    if (configured == null && gitops != null) {
      configured = gitops.getPath();
    }
    return configured;
  }

  /** The environment of {@code fc.env}. */
  String environment() {
    return GitOpsRequests.environment(env);
  }

  /** Opens (and so validates) the gitops folder. */
  GitOpsRepository repository() {
    return gitopsRepository(gitopsFolder());
  }
}
