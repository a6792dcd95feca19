package io.fctoolkit.core.gitops;

import static io.fctoolkit.core.gitops.Fixtures.D1;
import static io.fctoolkit.core.gitops.Fixtures.D2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Release;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion by pull request with real Git repositories: a bare remote and clones made with JGit,
 * merges and reverts as a forge would make them, and apply against a live (in-memory) platform.
 */
class GitFlowTest {

  static final String PROD_FILE = "gitops/environments/prod/environment.yaml";
  static final String BRANCH = "fc/promote/prod/grader/prod";

  @TempDir Path dir;
  Path remote;
  Git alice;
  Git bob;
  InMemoryPlatform platform = new InMemoryPlatform();
  List<FcEvent> events = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    remote = GitRepos.remoteWithFixture(dir);
    alice = GitRepos.clone(remote, dir.resolve("alice"), "Alice");
    bob = GitRepos.clone(remote, dir.resolve("bob"), "Bob");
  }

  @AfterEach
  void tearDown() {
    alice.close();
    bob.close();
  }

  private GitPromoter promoter(Git clone) {
    return new GitPromoter(
        clone.getRepository().getWorkTree().toPath().resolve("gitops"),
        GitPromoter.Options.defaults(),
        events::add);
  }

  private Path gitops(Git clone) {
    return clone.getRepository().getWorkTree().toPath().resolve("gitops");
  }

  private ApplyReport apply(Git clone) {
    return Applier.apply(gitops(clone), "prod", platform, events::add);
  }

  @Test
  void promote_canary_editsOnlyTheAliasLines_onANewPushedBranch_leavingTheCloneUntouched()
      throws Exception {
    String before = GitRepos.read(gitops(alice).resolve("environments/prod/environment.yaml"));

    // When
    PromotionResult result =
        promoter(alice).promote("prod", null, "prod", "2026-11-22.1", BigDecimal.TEN, null);

    // Then
    assertThat(result.branch()).isEqualTo(BRANCH);
    assertThat(result.pushed()).isTrue();
    assertThat(result.title()).isEqualTo("promote(prod): grader prod -> 2026-11-22.1 (canary 10%)");
    String after = GitRepos.show(bob, "HEAD", PROD_FILE);
    assertThat(after).isEqualTo(before);
    bob.fetch().setRemote("origin").call();
    String promoted = GitRepos.show(bob, "refs/remotes/origin/" + BRANCH, PROD_FILE);
    assertThat(promoted)
        .isEqualTo(
            before
                .replace(
                    "   # built by CI run 41\n",
                    "   # built by CI run 41\n      - id: 2026-11-22.1\n"
                        + "        image: 127.0.0.1:5000/fc/grader@"
                        + D2
                        + "\n")
                .replace(
                    "        release: 2026-11-21.1\n",
                    "        release: 2026-11-21.1\n        canaryRelease: 2026-11-22.1\n"
                        + "        weight: 10\n"));
    RevCommit commit = GitRepos.commit(bob, "refs/remotes/origin/" + BRANCH);
    assertThat(commit.getFullMessage())
        .contains("grader/prod in prod: 2026-11-21.1 -> 2026-11-21.1 + canary 2026-11-22.1 at 10%")
        .contains("release copied from another environment");
    assertThat(commit.getAuthorIdent().getName()).isEqualTo("Alice");
    assertThat(commit.getParent(0).name())
        .isEqualTo(alice.getRepository().resolve("refs/remotes/origin/main").name());
    // The clone's checkout is untouched: still on main, same file, no local edits.
    assertThat(alice.getRepository().getBranch()).isEqualTo("main");
    assertThat(GitRepos.read(gitops(alice).resolve("environments/prod/environment.yaml")))
        .isEqualTo(before);
    assertThat(alice.status().call().isClean()).isTrue();
  }

  @Test
  void promoteMergeApply_thenRevertTheMergeAndApply_restoresThePreviousAlias() throws Exception {
    // Given prod applied from main
    assertThat(apply(alice).succeeded()).isTrue();
    assertThat(aliasTarget()).isEqualTo(AliasTarget.of(1));

    // When Alice promotes and the PR check plans the branch
    promoter(alice).promote("prod", "grader", "prod", "2026-11-22.1", null, null);
    bob.fetch().setRemote("origin").call();
    bob.checkout().setName("review").setCreateBranch(true).setStartPoint("origin/" + BRANCH).call();
    Plan review = new Planner(GitOpsRepository.open(gitops(bob))).plan("prod", platform);

    // Then the plan shows exactly the promotion
    assertThat(review.publishes())
        .extracting(p -> p.release().id())
        .containsExactly("2026-11-22.1");
    assertThat(review.aliases())
        .singleElement()
        .extracting(Plan.AliasChange::describe)
        .isEqualTo("2026-11-21.1 -> 2026-11-22.1");
    assertThat(PlanRenderer.markdown(review)).contains("`grader/prod`").contains("2 changes.");
    assertThat(platform.calls()).hasSize(3);

    // When the PR is merged and CD applies main
    RevCommit merge = GitRepos.mergePullRequest(bob, BRANCH, 1);
    alice.pull().setRemote("origin").setRemoteBranchName("main").call();
    ApplyReport applied = apply(alice);

    // Then
    assertThat(applied.succeeded()).isTrue();
    assertThat(aliasTarget()).isEqualTo(AliasTarget.of(2));
    assertThat(apply(alice).steps()).as("a second apply does nothing").isEmpty();

    // When the merge is reverted and applied
    GitRepos.revertMerge(bob, merge);
    alice.pull().setRemote("origin").setRemoteBranchName("main").call();
    Plan rollback = new Planner(GitOpsRepository.open(gitops(alice))).plan("prod", platform);
    ApplyReport reverted = apply(alice);

    // Then the alias is back on the previous version, and nothing was republished
    assertThat(rollback.publishes()).isEmpty();
    assertThat(rollback.aliases())
        .singleElement()
        .extracting(Plan.AliasChange::describe)
        .isEqualTo("2026-11-22.1 -> 2026-11-21.1");
    assertThat(reverted.succeeded()).isTrue();
    assertThat(aliasTarget()).isEqualTo(AliasTarget.of(1));
    assertThat(platform.describe("grader").orElseThrow().alias("prod").orElseThrow().previous())
        .isEqualTo(AliasTarget.of(2));
  }

  @Test
  void concurrentPromotions_secondGetsAClearConflict_andSucceedsOnceTheFirstIsMerged()
      throws Exception {
    // Given Alice's promotion is pushed and still under review
    PromotionResult first =
        promoter(alice).promote("prod", null, "prod", "2026-11-22.1", BigDecimal.TEN, Affinity.KEY);

    // When Bob promotes the same alias
    assertThatThrownBy(
            () -> promoter(bob).promote("prod", null, "prod", "2026-11-22.2", BigDecimal.ONE, null))
        // Then
        .isInstanceOf(GitPromotionConflictException.class)
        .hasMessageContaining("another change to this alias is pending on branch " + BRANCH)
        .hasMessageContaining(first.commit().substring(0, 8))
        .hasMessageContaining(
            "promote(prod): grader prod -> 2026-11-22.1 (canary 10%, key affinity)")
        .hasMessageContaining("by Alice")
        .satisfies(
            e ->
                assertThat(((GitPromotionConflictException) e).hint())
                    .contains("merge or close that pull request"));
    bob.fetch().setRemote("origin").call();
    assertThat(bob.getRepository().resolve("refs/remotes/origin/" + BRANCH).name())
        .isEqualTo(first.commit());

    // When Alice's PR is merged, Bob's promotion goes through on top of it
    GitRepos.mergePullRequest(alice, BRANCH, 1);
    PromotionResult second =
        promoter(bob).promote("prod", null, "prod", "2026-11-22.2", BigDecimal.ONE, null);

    assertThat(second.title())
        .isEqualTo("promote(prod): grader prod -> 2026-11-22.2 (canary 1%, key affinity)");
    String text = GitRepos.show(bob, "refs/heads/" + BRANCH, PROD_FILE);
    assertThat(text)
        .contains("        canaryRelease: 2026-11-22.2\n        weight: 1\n        affinity: key\n")
        .contains("      - id: 2026-11-22.2\n");
  }

  @Test
  void pushRace_remoteRefusesTheSecondPush_withAConflict() throws Exception {
    // Carol's clone only tracks main on a remote named 'upstream', so she does not see Alice's
    // promotion branch: her promotion is built as if Alice had pushed a moment after her fetch.
    Git carol = GitRepos.clone(remote, dir.resolve("carol"), "Carol");
    try (carol) {
      carol
          .remoteAdd()
          .setName("upstream")
          .setUri(new org.eclipse.jgit.transport.URIish(remote.toUri().toString()))
          .call();
      carol
          .getRepository()
          .getConfig()
          .setString("remote", "upstream", "fetch", "+refs/heads/main:refs/remotes/upstream/main");
      carol.getRepository().getConfig().save();
      promoter(alice).promote("prod", null, "prod", "2026-11-22.1", null, null);

      GitPromoter racing =
          new GitPromoter(
              gitops(carol), GitPromoter.Options.defaults().withRemote("upstream"), events::add);
      assertThatThrownBy(() -> racing.promote("prod", null, "prod", "2026-11-22.2", null, null))
          .isInstanceOf(GitPromotionConflictException.class)
          .hasMessageContaining("the remote refused branch " + BRANCH)
          .hasMessageContaining("someone pushed another change to this alias first");
      assertThat(carol.getRepository().resolve("refs/remotes/upstream/" + BRANCH)).isNull();
    }
  }

  @Test
  void closedPromotion_whoseBranchWasDeletedOnTheRemote_noLongerBlocksTheNextOne()
      throws Exception {
    promoter(alice).promote("prod", null, "prod", "2026-11-22.1", BigDecimal.TEN, null);
    bob.fetch().setRemote("origin").call();
    assertThat(bob.getRepository().resolve("refs/remotes/origin/" + BRANCH)).isNotNull();
    // The PR is closed without merging and its branch deleted on the forge.
    alice
        .push()
        .setRemote("origin")
        .setRefSpecs(new org.eclipse.jgit.transport.RefSpec(":refs/heads/" + BRANCH))
        .call();

    PromotionResult result =
        promoter(bob).promote("prod", null, "prod", "2026-11-22.2", BigDecimal.ONE, null);

    assertThat(result.pushed()).isTrue();
    assertThat(result.title()).isEqualTo("promote(prod): grader prod -> 2026-11-22.2 (canary 1%)");
  }

  @Test
  void rollback_dropsACanary_orReturnsToThePreviousReleaseFromHistory() throws Exception {
    promoter(alice).promote("prod", null, "prod", "2026-11-22.1", null, null);
    GitRepos.mergePullRequest(alice, BRANCH, 1);

    // When
    PromotionResult back = promoter(alice).rollback("prod", null, "prod");

    // Then
    assertThat(back.title())
        .isEqualTo("rollback(prod): grader prod -> 2026-11-21.1 (was 2026-11-22.1)");
    assertThat(GitRepos.show(alice, "refs/heads/" + BRANCH, PROD_FILE))
        .contains(
            "      - name: prod   # the alias the trigger invokes\n        release: 2026-11-21.1\n");

    // Given a canary merged
    GitRepos.mergePullRequest(alice, BRANCH, 2);
    promoter(alice)
        .promote("prod", null, "prod", "2026-11-22.1", new BigDecimal("2.5"), Affinity.KEY);
    GitRepos.mergePullRequest(alice, BRANCH, 3);
    String withCanary = GitRepos.show(alice, "refs/remotes/origin/main", PROD_FILE);
    assertThat(withCanary).contains("        weight: 2.5\n        affinity: key\n");

    // When
    PromotionResult dropped = promoter(alice).rollback("prod", null, "prod");

    // Then the canary lines are gone and nothing else changed
    assertThat(dropped.title())
        .isEqualTo("rollback(prod): grader prod -> 2026-11-21.1 (drop canary 2026-11-22.1)");
    assertThat(GitRepos.show(alice, "refs/heads/" + BRANCH, PROD_FILE))
        .isEqualTo(
            withCanary.replace(
                "        canaryRelease: 2026-11-22.1\n        weight: 2.5\n        affinity: key\n",
                ""));
  }

  @Test
  void rollback_afterTwoMergedPromotions_returnsToTheOneBefore() throws Exception {
    promoter(alice).promote("prod", null, "prod", "2026-11-22.1", null, null);
    GitRepos.mergePullRequest(alice, BRANCH, 1);
    promoter(alice).promote("prod", null, "prod", "2026-11-22.2", null, null);
    GitRepos.mergePullRequest(alice, BRANCH, 2);

    PromotionResult back = promoter(alice).rollback("prod", null, "prod");

    assertThat(back.title())
        .isEqualTo("rollback(prod): grader prod -> 2026-11-22.1 (was 2026-11-22.2)");
  }

  @Test
  void recordRelease_addsTheReleaseAndMovesDev_andRefusesAnIdReusedForAnotherImage()
      throws Exception {
    Release release =
        new Release(
            "2026-11-23.1", ImageRef.parse("127.0.0.1:5000/fc/grader@" + D1.replace('8', '9')));

    PromotionResult recorded = promoter(alice).recordRelease("dev", "grader", release, "dev");

    assertThat(recorded.title())
        .isEqualTo("release(dev): grader 2026-11-23.1, dev -> 2026-11-23.1");
    assertThat(recorded.branch()).isEqualTo("fc/release/dev/grader/2026-11-23.1");
    String dev =
        GitRepos.show(
            alice, "refs/heads/" + recorded.branch(), "gitops/environments/dev/environment.yaml");
    assertThat(dev)
        .contains(
            "      - id: 2026-11-23.1\n        image: " + release.image() + "\n    aliases:\n")
        .contains("        release: 2026-11-23.1\n");

    Release clash = new Release("2026-11-22.1", ImageRef.parse("127.0.0.1:5000/fc/grader@" + D1));
    assertThatThrownBy(() -> promoter(alice).recordRelease("dev", "grader", clash, null))
        .isInstanceOf(GitPromotionException.class)
        .hasMessageContaining("already names image");
  }

  @Test
  void recordRelease_twice_isPendingOnce_reusesTheIdOfAKnownDigest_andNothingLeftIsNotAnError()
      throws Exception {
    Release release =
        new Release(
            "1.0.0-abc", ImageRef.parse("127.0.0.1:5000/fc/grader@" + D1.replace('8', '7')));
    PromotionResult first =
        promoter(alice)
            .recordRelease("dev", "grader", release, "dev", "Published as v4 by fc:deploy.");
    assertThat(first.message())
        .startsWith("release(dev): grader 1.0.0-abc, dev -> 1.0.0-abc\n")
        .contains("grader release 1.0.0-abc = " + release.image() + "\n")
        .contains("\n\nPublished as v4 by fc:deploy.\n");

    // When the same build is recorded again (a second deploy) before the PR is merged
    PromotionResult again = promoter(bob).recordRelease("dev", "grader", release, "dev", "other");

    // Then it is the pending commit, not a conflict with itself
    assertThat(again.commit()).isEqualTo(first.commit());
    assertThat(again.message()).isEqualTo(first.message());
    assertThat(again.pushed()).isTrue();

    // A digest the file already declares keeps its id: dev moves back to 2026-11-22.1
    Release sameBytes =
        new Release("1.0.1-def", ImageRef.parse("127.0.0.1:5000/fc/grader@" + Fixtures.D2));
    PromotionResult reused = promoter(alice).recordRelease("dev", "grader", sameBytes, "dev");
    assertThat(reused.title()).isEqualTo("release(dev): grader 2026-11-22.1, dev -> 2026-11-22.1");
    assertThat(reused.branch()).isEqualTo("fc/release/dev/grader/2026-11-22.1");
    assertThat(
            GitRepos.show(
                alice, "refs/heads/" + reused.branch(), "gitops/environments/dev/environment.yaml"))
        .doesNotContain("1.0.1-def");

    // What the file already says is a distinct, harmless outcome
    Release current =
        new Release("2026-11-22.2", ImageRef.parse("127.0.0.1:5000/fc/grader@" + Fixtures.D3));
    assertThatThrownBy(() -> promoter(alice).recordRelease("dev", "grader", current, "dev"))
        .isInstanceOf(GitNothingToChangeException.class)
        .hasMessageContaining("release 2026-11-22.2")
        .hasMessageContaining("is already recorded in dev, and dev points at it");
  }

  @Test
  void promote_unknownReleaseOrAlias_orNoChange_failsClearlyAndCommitsNothing() throws Exception {
    assertThatThrownBy(
            () -> promoter(alice).promote("prod", null, "prod", "2026-12-01.1", null, null))
        .isInstanceOf(GitPromotionException.class)
        .hasMessageContaining(
            "release 2026-12-01.1 of grader is not declared (by digest) in any environment");
    assertThatThrownBy(
            () -> promoter(alice).promote("prod", null, "canary", "2026-11-22.1", null, null))
        .isInstanceOf(GitPromotionException.class)
        .hasMessageContaining("alias canary of grader is not declared in prod");
    assertThatThrownBy(
            () -> promoter(alice).promote("prod", null, "prod", "2026-11-21.1", null, null))
        .isInstanceOf(GitPromotionException.class)
        .hasMessageContaining("already points at 2026-11-21.1");
    assertThat(alice.branchList().call())
        .extracting(r -> r.getName())
        .containsExactly("refs/heads/main");
  }

  @Test
  void promote_onADetachedHead_needsAnExplicitBaseBranch() throws Exception {
    alice.checkout().setName(alice.getRepository().resolve("HEAD").name()).call();

    assertThatThrownBy(
            () -> promoter(alice).promote("prod", null, "prod", "2026-11-22.1", null, null))
        .isInstanceOf(GitPromotionException.class)
        .hasMessageContaining("HEAD is detached");
    PromotionResult result =
        new GitPromoter(
                gitops(alice), GitPromoter.Options.defaults().withBaseBranch("main"), events::add)
            .promote("prod", null, "prod", "2026-11-22.1", null, null);
    assertThat(result.pushed()).isTrue();
  }

  @Test
  void branchNames_areValidRefsForAnyReleaseId() {
    assertThat(GitPromoter.branchName("release/dev/grader/2026-11-22.1"))
        .isEqualTo("fc/release/dev/grader/2026-11-22.1");
    assertThat(GitPromoter.branchName("release/dev/grader/1..2"))
        .isEqualTo("fc/release/dev/grader/1-2");
    assertThat(GitPromoter.branchName("release/dev/grader/build."))
        .isEqualTo("fc/release/dev/grader/build-");
    assertThat(GitPromoter.branchName("release/dev/grader/x.lock"))
        .isEqualTo("fc/release/dev/grader/x-");
  }

  @Test
  void promote_withoutRemote_commitsLocallyOnly() throws Exception {
    alice.remoteRemove().setRemoteName("origin").call();

    PromotionResult result =
        promoter(alice).promote("prod", null, "prod", "2026-11-22.1", null, null);

    assertThat(result.pushed()).isFalse();
    assertThat(GitRepos.show(alice, "refs/heads/" + BRANCH, PROD_FILE))
        .contains("release: 2026-11-22.1");
  }

  @Test
  void driftAfterAManualChange_isDetectedAndBlocksApplyUnderPolicyFail() throws Exception {
    assertThat(apply(alice).succeeded()).isTrue();
    // Someone hot-fixes prod by hand.
    FunctionSpec grader = GitOpsRepository.open(gitops(alice)).function("grader");
    platform.publish(
        new PublishRequest(
            grader.config(),
            new ImageSource.Registry(ImageRef.parse("r/hotfix@" + D2.replace('d', 'e')), false),
            null));
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(2), 1L));
    int calls = platform.calls().size();

    Plan plan = new Planner(GitOpsRepository.open(gitops(alice))).plan("prod", platform);

    assertThat(plan.drift())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.description())
                    .isEqualTo("points at v2, which no release in Git maps to"));
    assertThat(PlanRenderer.markdown(plan))
        .contains("**Drift**")
        .contains("Apply will refuse this plan");
    assertThatThrownBy(() -> apply(alice)).isInstanceOf(GitOpsPlanRefusedException.class);
    assertThat(platform.calls()).hasSize(calls);
  }

  @Test
  void promote_withDerivedFiles_commitsTheFolderAsTheEditedStateHasIt_onTheSameBranch()
      throws Exception {
    // Given main holds a derived folder with a file the next derivation no longer writes
    Path rendered = gitops(alice).resolve("rendered/prod");
    Files.createDirectories(rendered);
    Files.writeString(rendered.resolve("stale.yaml"), "stale\n");
    Files.writeString(rendered.resolve("kept.yaml"), "old\n");
    alice.add().addFilepattern("gitops").call();
    alice.commit().setMessage("render prod").call();
    alice.push().setRemote("origin").setRefSpecs(new RefSpec("main:main")).call();
    // a derivation that writes what it read from the edited environment file
    DerivedFiles derived =
        (gitopsDir, environment) -> {
          Path folder = gitopsDir.resolve("rendered").resolve(environment);
          Files.delete(folder.resolve("stale.yaml"));
          Files.writeString(
              folder.resolve("kept.yaml"),
              Files.readString(
                  gitopsDir.resolve("environments/" + environment + "/environment.yaml")));
          Files.createDirectories(folder.resolve("sub"));
          Files.writeString(folder.resolve("sub/new.yaml"), "new\n");
          return List.of("rendered/" + environment);
        };

    // When
    PromotionResult result =
        new GitPromoter(gitops(alice), GitPromoter.Options.defaults(), events::add, derived)
            .promote("prod", null, "prod", "2026-11-22.1", null, null);

    // Then the promotion commit carries the environment file and the folder as derived from it
    String edited = GitRepos.show(alice, result.commit(), PROD_FILE);
    assertThat(edited).contains("        release: 2026-11-22.1\n");
    assertThat(GitRepos.show(alice, result.commit(), "gitops/rendered/prod/kept.yaml"))
        .isEqualTo(edited);
    assertThat(GitRepos.show(alice, result.commit(), "gitops/rendered/prod/sub/new.yaml"))
        .isEqualTo("new\n");
    assertThat(GitRepos.show(alice, result.commit(), "gitops/rendered/prod/stale.yaml")).isNull();
    assertThat(GitRepos.commit(alice, result.commit()).getFullMessage())
        .contains("rendered/prod/ rendered again from the edited state");
    // and the working tree is untouched
    assertThat(Files.readString(rendered.resolve("kept.yaml"))).isEqualTo("old\n");
    assertThat(rendered.resolve("stale.yaml")).exists();
    assertThat(alice.status().call().isClean()).isTrue();
  }

  @Test
  void promote_withADerivedFolderOutsideTheGitopsDirectory_isRefused_andCommitsNothing()
      throws Exception {
    DerivedFiles escaping = (gitopsDir, environment) -> List.of("../elsewhere");

    assertThatThrownBy(
            () ->
                new GitPromoter(
                        gitops(alice), GitPromoter.Options.defaults(), events::add, escaping)
                    .promote("prod", null, "prod", "2026-11-22.1", null, null))
        .isInstanceOf(GitPromotionException.class)
        .hasMessageContaining("'../elsewhere' is not a folder inside the gitops directory");
    assertThat(alice.getRepository().resolve("refs/heads/" + BRANCH)).isNull();
  }

  private AliasTarget aliasTarget() {
    return platform.describe("grader").orElseThrow().alias("prod").orElseThrow().target();
  }
}
