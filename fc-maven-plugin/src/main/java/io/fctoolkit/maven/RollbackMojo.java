package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.AliasFlow;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Points an alias back at where it pointed before its last change. Skipped with {@code
 * -Dfc.rollback.skip=true}. With {@code -Dfc.env=<env>} it works on the platform that environment's
 * gitops file binds (Knative included), under the same rule for direct changes as {@code
 * fc:promote}.
 *
 * @since 0.1.0
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractFcMojo {

  /**
   * The alias to roll back.
   *
   * <pre>
   * &lt;alias&gt;prod&lt;/alias&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.alias", defaultValue = "dev")
  String alias;

  /**
   * The alias revision this change is based on (what a pipeline saw when it planned); the change
   * fails, naming both revisions, if another pipeline moved the alias since. Unset: the revision
   * read just before the change.
   *
   * <pre>
   * &lt;expectedRevision&gt;4&lt;/expectedRevision&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.expectedRevision")
  Long expectedRevision;

  /**
   * How the change is made: {@code platform} (the default, directly on the local runtime) or {@code
   * git} (a commit on a new branch of the gitops repository, for a pull request).
   *
   * <pre>
   * &lt;via&gt;git&lt;/via&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.via", defaultValue = "platform")
  String via;

  @Override
  String goal() {
    return "rollback";
  }

  @Override
  void run(FcContext fc) throws Exception {
    Hints.aliasName(alias);
    if (GitOpsRequests.viaGit(via)) {
      GitVia.rollback(this, fc, alias);
      return;
    }
    String name = ImageRequests.functionName(function, project.getArtifactId());
    try (Platform platform = platform(fc, false)) {
      getLog().info(new AliasFlow(platform, fc.events()).rollback(name, alias, expectedRevision));
    }
  }
}
