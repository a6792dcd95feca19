package io.fctoolkit.maven;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.PromotionResult;
import io.fctoolkit.core.gitops.RolloutReverts;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.maven.internal.PullModeRendering;
import io.fctoolkit.maven.internal.ReleaseRecorder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.logging.Log;

/**
 * {@code fc:promote} and {@code fc:rollback} with {@code -Dfc.via=git}: the change becomes a commit
 * on a new branch of the gitops repository (pushed when the remote exists) instead of a call to the
 * platform; the pipeline opens the pull request and {@code fc:apply} applies the merge (or, for an
 * environment in pull mode, Argo CD or Flux apply the manifests the same commit renders again).
 * {@code fc:deploy -Dfc.record=git} records its build the same way, with the same {@code fc.git.*}
 * options.
 */
final class GitVia {

  private GitVia() {}

  /** Promotes {@code release} on {@code alias} of environment {@code fc.env} by a Git commit. */
  static PromotionResult promote(
      AbstractFcMojo mojo,
      FcContext fc,
      String alias,
      String release,
      Integer version,
      String weight,
      String affinity) {
    String id = GitOpsRequests.gitRelease(release, version);
    BigDecimal share = GitOpsRequests.weight(weight);
    Affinity split = GitOpsRequests.affinity(affinity, share);
    PromotionResult result =
        fc.step(
            "git",
            () ->
                promoter(mojo, fc)
                    .promote(
                        GitOpsRequests.environment(mojo.env),
                        mojo.function,
                        alias,
                        id,
                        share,
                        split));
    print(mojo.getLog(), result);
    return result;
  }

  /** Rolls {@code alias} of environment {@code fc.env} back by a Git commit. */
  static PromotionResult rollback(AbstractFcMojo mojo, FcContext fc, String alias) {
    PromotionResult result =
        fc.step(
            "git",
            () ->
                promoter(mojo, fc)
                    .rollback(GitOpsRequests.environment(mojo.env), mojo.function, alias));
    print(mojo.getLog(), result);
    return result;
  }

  /**
   * The recorder of {@code fc:deploy -Dfc.record=git}, checked before the build; empty when {@code
   * fc.record} is {@code none}. The release id is {@code fc.release} when set.
   */
  static Optional<ReleaseRecorder> recorder(
      AbstractImageMojo mojo, FcContext fc, String record, String function, String alias) {
    if (!ReleaseRecorder.enabled(record)) {
      return Optional.empty();
    }
    return Optional.of(
        ReleaseRecorder.open(
            mojo.gitopsFolder(),
            options(mojo),
            function,
            alias,
            mojo.lookup("fc.release"),
            mojo.project.getVersion(),
            fc.events()));
  }

  /** Records what the deploy published in the dev environment file, and prints the branch. */
  static void record(
      AbstractFcMojo mojo,
      FcContext fc,
      ReleaseRecorder recorder,
      ImageSource image,
      PublishResult published,
      String target) {
    fc.step("record", () -> recorder.record(image, published, target))
        .ifPresent(result -> print(mojo.getLog(), result));
  }

  /**
   * {@code fc:plan} and {@code fc:apply} in an environment with {@code onFailedRollout:
   * revert-branch}: writes the revert of each failed rollout {@code plan} reports on its branch and
   * prints what became of it; nothing otherwise.
   */
  static List<RolloutReverts.Revert> revertFailedRollouts(
      AbstractFcMojo mojo,
      FcContext fc,
      GitOpsRepository repository,
      Plan plan,
      Platform platform) {
    RolloutReverts reverts = new RolloutReverts(repository, fc.events());
    if (!reverts.wanted(plan)) {
      return List.of();
    }
    GitPromoter promoter =
        new GitPromoter(
            repository.root(),
            options(mojo),
            fc.events(),
            new PullModeRendering(mojo::platformProvider));
    List<RolloutReverts.Revert> written =
        fc.step("revert", () -> reverts.write(plan, platform, promoter));
    // RolloutReverts has logged each one; the branch lines, or the way to write it by hand.
    for (RolloutReverts.Revert revert : written) {
      if (revert.result() != null) {
        print(mojo.getLog(), revert.result());
      } else {
        mojo.getLog()
            .warn(
                "Write the revert by hand: mvn fc:rollback -Dfc.via=git -Dfc.env="
                    + plan.environment()
                    + " -Dfc.function="
                    + revert.function()
                    + " -Dfc.alias="
                    + revert.alias());
      }
    }
    return written;
  }

  private static GitPromoter promoter(AbstractFcMojo mojo, FcContext fc) {
    String configured = mojo.lookup("fc.gitops.dir");
    if (configured == null) {
      configured = mojo.lookup("fc.gitops");
    }
    Path gitops = GitOpsRequests.gitopsDir(configured, mojo.project.getBasedir().toPath());
    // In pull mode the promotion commit carries the re-rendered manifests too (PullModeRendering).
    return new GitPromoter(
        gitops, options(mojo), fc.events(), new PullModeRendering(mojo::platformProvider));
  }

  private static GitPromoter.Options options(AbstractFcMojo mojo) {
    return GitOpsRequests.gitOptions(
            mojo.lookup("fc.git.remote"),
            mojo.lookup("fc.git.baseBranch"),
            mojo.lookup("fc.git.push"))
        .withAuth(mojo.gitAuth());
  }

  private static void print(Log log, PromotionResult result) {
    log.info("branch  " + result.branch());
    log.info("commit  " + result.commit() + " (on " + result.base() + ")");
    log.info("file    " + result.file());
    log.info(
        result.pushed()
            ? "pushed  yes: open a pull request from " + result.branch()
            : "pushed  no (no remote, or fc.git.push=false): push the branch and open a pull"
                + " request");
  }
}
