package io.fctoolkit.maven;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.Version;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Moves an alias to a version ({@code fc.version}, or the version published for {@code
 * fc.release}), or with {@code fc.weight} sends that share of its traffic to the version as a
 * canary (with {@code fc.affinity=key}, one routing key always meets the same version). The runtime
 * warms the version before traffic moves; the alias's revision is checked, so a move by another
 * pipeline in between fails naming both revisions. Skipped with {@code -Dfc.promote.skip=true}.
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
    if (GitOpsRequests.viaGit(via)) {
      GitVia.promote(this, fc, alias, release, version, weight, affinity);
      return;
    }
    try (Platform platform = platform(fc, false)) {
      FunctionState state =
          platform
              .describe(name)
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "function", name, "deploy it first with mvn fc:deploy"));
      int number = resolveVersion(state);
      Optional<Alias> current = state.alias(alias);
      AliasTarget target = target(current, number);
      Alias moved =
          platform.putAlias(
              new AliasUpdate(
                  name,
                  alias,
                  target,
                  expectedRevision != null
                      ? expectedRevision
                      : current.map(Alias::revision).orElse(0L)));
      getLog()
          .info(
              "Alias "
                  + alias
                  + " of "
                  + name
                  + " -> "
                  + moved.target()
                  + current.map(a -> " (was " + a.target() + ")").orElse(" (new alias)")
                  + ", revision "
                  + moved.revision());
    }
  }

  private int resolveVersion(FunctionState state) {
    if (version != null && release != null) {
      throw Hints.invalidRequest(
          "release", release, "name either fc.version or fc.release, not both");
    }
    if (version != null) {
      return state
          .version(version)
          .map(Version::number)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "version", "v" + version, "see the versions with mvn fc:status"));
    }
    if (release != null) {
      return state.versions().stream()
          .filter(v -> release.equals(v.releaseId()))
          .map(Version::number)
          .reduce((first, second) -> second)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "release", release, "publish the release first (fc:apply or fc:deploy)"));
    }
    throw Hints.missingRequest("version", "version or release to promote");
  }

  private AliasTarget target(Optional<Alias> current, int number) {
    if (weight == null || weight.isBlank()) {
      return AliasTarget.of(number);
    }
    BigDecimal share;
    try {
      share = new BigDecimal(weight.trim());
    } catch (NumberFormatException e) {
      throw Hints.invalidRequest("weight", weight, "expected a percentage such as 10 or 2.5");
    }
    Affinity split;
    try {
      split = Affinity.valueOf(affinity.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("affinity", affinity, "expected none or key");
    }
    if (current.isEmpty()) {
      throw Hints.invalidRequest(
          "weight",
          weight,
          "alias " + alias + " does not exist yet; promote a version without a weight first");
    }
    try {
      return AliasTarget.canary(current.get().target().version(), number, share, split);
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("weight", weight, e.getMessage());
    }
  }
}
