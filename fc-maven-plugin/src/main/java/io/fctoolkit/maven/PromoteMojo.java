package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.AliasFlow;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Moves an alias to a version ({@code fc.version}, or the version published for {@code
 * fc.release}), or with {@code fc.weight} sends that share of its traffic to the version as a
 * canary (with {@code fc.affinity=key}, one routing key always meets the same version). The runtime
 * warms the version before traffic moves; the alias's revision is checked, so a move by another
 * pipeline in between fails naming both revisions. Skipped with {@code -Dfc.promote.skip=true}.
 *
 * <p>With {@code -Dfc.env=<env>} it works on the platform that environment's gitops file binds; on
 * Knative the alias is a traffic tag and a canary weight is rounded to whole percents (the output
 * says how it is routed). An environment whose file keeps Git as the record ({@code driftPolicy:
 * fail} or {@code report}) is changed directly only with {@code -Dfc.direct=true}; the intended way
 * there is {@code -Dfc.via=git} and a pull request.
 *
 * @since 0.1.0
 */
@Mojo(name = "promote", threadSafe = true)
public class PromoteMojo extends AbstractFcMojo {

  /**
   * The alias to move.
   *
   * <pre>
   * &lt;alias&gt;prod&lt;/alias&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.alias")
  String alias;

  /**
   * The version number to promote.
   *
   * <pre>
   * &lt;version&gt;3&lt;/version&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.version")
  Integer version;

  /**
   * The release to promote: the version published for this Git release id.
   *
   * <pre>
   * &lt;release&gt;2026-11-22.1&lt;/release&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.release")
  String release;

  /**
   * Percent of the alias's traffic for the promoted version as a canary (decimals allowed); unset
   * moves all traffic.
   *
   * <pre>
   * &lt;weight&gt;10&lt;/weight&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.weight")
  String weight;

  /**
   * How a canary splits traffic: {@code none} (per request) or {@code key} (by routing key).
   *
   * <pre>
   * &lt;affinity&gt;key&lt;/affinity&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.affinity", defaultValue = "none")
  String affinity;

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
    return "promote";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    if (alias == null || alias.isBlank()) {
      throw Hints.missingRequest("alias", "alias (the alias to move, e.g. prod)");
    }
    Hints.aliasName(alias);
    if (GitOpsRequests.viaGit(via)) {
      GitVia.promote(this, fc, alias, release, version, weight, affinity);
      return;
    }
    try (Platform platform = platform(fc, false)) {
      getLog()
          .info(
              new AliasFlow(platform, fc.events())
                  .promote(name, alias, version, release, weight, affinity, expectedRevision));
    }
  }
}
