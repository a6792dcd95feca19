package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.PlatformBinding;
import io.fctoolkit.knative.KnativePlatform;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.runtime.RuntimeOptions;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The frame of the gitops goals ({@code fc:plan}, {@code fc:apply}, {@code fc:render}): the gitops
 * folder, the environment, and the platform its environment file declares.
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
    String configured = lookup("fc.gitops.dir");
    if (configured == null && gitops != null) {
      configured = gitops.getPath();
    }
    return GitOpsRequests.gitopsDir(configured, baseDir());
  }

  /** The project's folder, or the current folder when run without a project. */
  Path baseDir() {
    return project != null && project.getBasedir() != null
        ? project.getBasedir().toPath()
        : Path.of("").toAbsolutePath();
  }

  /** The environment of {@code fc.env}. */
  String environment() {
    return GitOpsRequests.environment(env);
  }

  /**
   * The platform the environment file declares: the local runtime (started in the background when
   * none answers and {@code startIfDown}), or Knative through the file's kube context. {@code
   * -Dfc.runtime.url} / {@code -Dfc.runtime.stateDir} win over the file's local binding.
   */
  Platform connect(FcContext fc, EnvironmentSpec spec, boolean startIfDown)
      throws InterruptedException {
    if (spec.platform() instanceof PlatformBinding.Knative knative) {
      return KnativePlatform.connect(knative.context(), knative.namespace(), fc.events());
    }
    PlatformBinding.Local local = (PlatformBinding.Local) spec.platform();
    String configuredState =
        nested(runtime == null ? null : runtime.getStateDir(), "fc.runtime.stateDir");
    Path state =
        configuredState != null
            ? Path.of(configuredState).toAbsolutePath()
            : local.stateDir() != null
                ? GitOpsRequests.stateDir(local.stateDir(), gitopsFolder())
                : RuntimeOptions.defaultStateDir().toAbsolutePath();
    String url = nested(runtime == null ? null : runtime.getUrl(), "fc.runtime.url");
    if (url == null) {
      url = local.runtimeUrl();
    }
    return localRuntime(fc, state, url, startIfDown);
  }

  /** Opens (and so validates) the gitops folder. */
  GitOpsRepository repository() {
    return GitOpsRepository.open(gitopsFolder());
  }
}
