package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.PlatformBinding;
import io.fctoolkit.knative.KnativePlatform;
import io.fctoolkit.maven.internal.LocalRuntime;
import io.fctoolkit.runtime.RuntimeOptions;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;

/** The gitops folder and the platform an environment file binds, for fc:plan and fc:apply. */
public abstract class AbstractGitOpsMojo extends AbstractFcMojo {

  /**
   * The gitops folder; unset: the nearest {@code gitops/} from the current folder upwards.
   *
   * <pre>
   * &lt;gitops&gt;${maven.multiModuleProjectDirectory}/gitops&lt;/gitops&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.gitops")
  File gitops;

  GitOpsRepository repository() {
    Path start =
        project != null && project.getBasedir() != null
            ? project.getBasedir().toPath()
            : Path.of("").toAbsolutePath();
    Path folder = gitops != null ? gitops.toPath() : GitOpsRepository.locate(start);
    return GitOpsRepository.open(folder);
  }

  /**
   * The platform the environment file binds. For {@code local}, {@code fc.runtime.stateDir} and
   * {@code fc.runtime.url} override the file's values.
   */
  Platform platformOf(EnvironmentSpec environment, FcContext fc) {
    PlatformBinding binding = environment.platform();
    if (binding instanceof PlatformBinding.Knative knative) {
      return KnativePlatform.connect(knative.context(), knative.namespace(), fc.events());
    }
    PlatformBinding.Local local = (PlatformBinding.Local) binding;
    String stateOverride =
        nested(runtime == null ? null : runtime.getStateDir(), "fc.runtime.stateDir");
    Path state =
        stateOverride != null
            ? Path.of(stateOverride)
            : local.stateDir() != null
                ? Path.of(local.stateDir())
                : RuntimeOptions.defaultStateDir();
    String url = nested(runtime == null ? null : runtime.getUrl(), "fc.runtime.url");
    if (url == null) {
      url = local.runtimeUrl();
    }
    if (url != null) {
      return LocalRuntime.at(URI.create(url), state);
    }
    Path stateDir = state.toAbsolutePath();
    return LocalRuntime.running(stateDir)
        .orElseThrow(
            () ->
                new PlatformUnavailableException(
                    stateDir.toString(),
                    "no local runtime runs for environment " + environment.name(),
                    "start one with mvn fc:local, or deploy with mvn fc:deploy",
                    null));
  }
}
