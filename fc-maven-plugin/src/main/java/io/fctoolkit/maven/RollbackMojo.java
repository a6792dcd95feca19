package io.fctoolkit.maven;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.maven.internal.ImageRequests;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Points an alias back at where it pointed before its last change. Skipped with {@code
 * -Dfc.rollback.skip=true}.
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
    if (GitOpsRequests.viaGit(via)) {
      GitVia.rollback(this, fc, alias);
      return;
    }
    String name = ImageRequests.functionName(function, project.getArtifactId());
    try (Platform platform = platform(fc, false)) {
      Alias current =
          platform
              .describe(name)
              .flatMap(state -> state.alias(alias))
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "alias", name + "/" + alias, "see the aliases with mvn fc:status"));
      if (current.previous() == null) {
        throw new FcException(
            "alias " + alias + " of " + name + " has no previous target to roll back to",
            "promote a version explicitly with mvn fc:promote -Dfc.alias="
                + alias
                + " -Dfc.version=N");
      }
      Alias moved =
          platform.putAlias(
              new AliasUpdate(
                  name,
                  alias,
                  current.previous(),
                  expectedRevision != null ? expectedRevision : current.revision()));
      getLog()
          .info(
              "Rolled back alias "
                  + alias
                  + " of "
                  + name
                  + ": "
                  + current.target()
                  + " -> "
                  + moved.target()
                  + ", revision "
                  + moved.revision());
    }
  }
}
