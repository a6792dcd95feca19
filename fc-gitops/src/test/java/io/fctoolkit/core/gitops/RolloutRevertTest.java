package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import java.math.BigDecimal;
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
 * {@code onFailedRollout: revert-branch} with real Git (a bare remote and a clone, JGit): a failed
 * rollout of the release Git names becomes one revert commit on {@code fc/revert/...}, pushed, with
 * the failure in its message; running again (also after main moved) makes no second commit; once
 * merged, the plan is clean and nothing more is written.
 */
class RolloutRevertTest {

  static final String DEV = "environments/dev/environment.yaml";
  static final String DEV_PATH = "gitops/" + DEV;
  static final String BRANCH = "fc/revert/dev/grader/dev";
  static final String ROLLOUT = "        rollout:\n          steps: [10, 50]\n";

  @TempDir Path dir;
  Git ci;
  Path root;
  final RolloutPlanTest.RolloutPlatform platform = new RolloutPlanTest.RolloutPlatform(true);
  final List<FcEvent> events = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Path remote = GitRepos.remoteWithFixture(dir);
    ci = GitRepos.clone(remote, dir.resolve("ci"), "CI");
    root = ci.getRepository().getWorkTree().toPath().resolve("gitops");
  }

  @AfterEach
  void tearDown() {
    ci.close();
  }

  private void commitAndPush(String message) throws Exception {
    ci.commit().setAll(true).setMessage(message).call();
    ci.push()
        .setRemote("origin")
        .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
        .call();
  }

  private GitOpsRepository repo() {
    return GitOpsRepository.open(root);
  }

  private List<RolloutReverts.Revert> revert() {
    GitOpsRepository repo = repo();
    Plan plan = new Planner(repo).plan("dev", platform);
    return new RolloutReverts(repo, events::add)
        .write(
            plan,
            platform,
            new GitPromoter(root, GitPromoter.Options.defaults().withBaseBranch("main"), e -> {}));
  }

  /** dev serves 2026-11-22.1; Git then names 2026-11-22.2 by rollout, which the platform fails. */
  private RolloutRequest failedRollout(String onFailedRollout) throws Exception {
    Fixtures.replace(
        root, DEV, "driftPolicy: overwrite\n", "driftPolicy: overwrite\n" + onFailedRollout);
    Fixtures.replace(
        root, DEV, "        release: 2026-11-22.2\n", "        release: 2026-11-22.1\n");
    commitAndPush("dev on 2026-11-22.1");
    assertThat(Applier.apply(root, "dev", platform, events::add).succeeded()).isTrue();
    Fixtures.replace(
        root, DEV, "        release: 2026-11-22.1\n", "        release: 2026-11-22.2\n" + ROLLOUT);
    commitAndPush("Merge pull request #7: promote 2026-11-22.2");
    assertThat(Applier.apply(root, "dev", platform, events::add).succeeded()).isTrue();
    RolloutRequest request = platform.started.get(0);
    Alias now = platform.describe("grader").orElseThrow().alias("dev").orElseThrow();
    int primary = now.target().version();
    Alias back =
        platform.putAlias(
            new AliasUpdate("grader", "dev", AliasTarget.of(primary), now.revision()));
    platform.rollouts.put(
        "grader/dev",
        RolloutPlanTest.RolloutPlatform.status(
            request,
            primary,
            RolloutStatus.State.ROLLED_BACK,
            1,
            BigDecimal.ZERO,
            back.revision(),
            "check errorRate failed: 5xx 7.1% at the canary (5 of 70), limit 1%"));
    return request;
  }

  @Test
  void revertBranch_writesOneRevertCommit_withTheFailure_andKeepsTheRolloutBlock()
      throws Exception {
    // Given
    failedRollout("onFailedRollout: revert-branch\n");

    // When
    List<RolloutReverts.Revert> reverts = revert();

    // Then one revert, pushed, back to the release the platform serves again
    assertThat(reverts).hasSize(1);
    RolloutReverts.Revert revert = reverts.get(0);
    assertThat(revert.problem()).isNull();
    assertThat(revert.release()).isEqualTo("2026-11-22.1");
    PromotionResult result = revert.result();
    assertThat(result.branch()).isEqualTo(BRANCH);
    assertThat(result.pushed()).isTrue();
    assertThat(result.title())
        .isEqualTo("revert(dev): grader dev -> 2026-11-22.1 (rollout of 2026-11-22.2 failed)");
    assertThat(result.message())
        .contains(
            "failed and the platform rolled the alias back to 2026-11-22.1: step 2 of 2: check"
                + " errorRate failed: 5xx 7.1% at the canary (5 of 70), limit 1%")
        .contains("Failed-Rollout: grader/dev 2026-11-22.2 started 2026-12-06T12:00:00Z");
    assertThat(revert.describe())
        .startsWith("grader/dev: rollout of 2026-11-22.2 failed; the revert to 2026-11-22.1 is on")
        .contains(BRANCH);
    ci.fetch().setRemote("origin").call();
    String onBranch = GitRepos.show(ci, "refs/remotes/origin/" + BRANCH, DEV_PATH);
    assertThat(onBranch)
        .isEqualTo(
            GitRepos.show(ci, "refs/remotes/origin/main", DEV_PATH)
                .replace(
                    "        release: 2026-11-22.2\n" + ROLLOUT,
                    "        release: 2026-11-22.1\n" + ROLLOUT));
    assertThat(events)
        .anyMatch(e -> e.message().contains("rollout of 2026-11-22.2 failed; the revert"));
  }

  @Test
  void revertBranch_secondRun_andAfterMainMoved_reuseThePendingCommit() throws Exception {
    // Given a revert written once
    failedRollout("onFailedRollout: revert-branch\n");
    String first = revert().get(0).result().commit();

    // When the job runs again
    RolloutReverts.Revert again = revert().get(0);

    // Then the same commit, no second one
    assertThat(again.result().commit()).isEqualTo(first);

    // When main moves on (another pull request merged) and the job runs again
    Fixtures.replace(root, DEV, "driftPolicy: overwrite\n", "driftPolicy: overwrite # moved\n");
    commitAndPush("Merge pull request #8: a comment");
    RolloutReverts.Revert third = revert().get(0);

    // Then still the pending commit, not a conflict and not a second commit
    assertThat(third.problem()).isNull();
    assertThat(third.result().commit()).isEqualTo(first);
    ci.fetch().setRemote("origin").call();
    RevCommit tip = GitRepos.commit(ci, "refs/remotes/origin/" + BRANCH);
    assertThat(tip.name()).isEqualTo(first);

    // When the revert is merged
    GitRepos.mergePullRequest(ci, BRANCH, 9);

    // Then Git and the platform agree: no drift, nothing written
    Plan plan = new Planner(repo()).plan("dev", platform);
    assertThat(plan.drift()).isEmpty();
    assertThat(plan.aliases()).isEmpty();
    assertThat(revert()).isEmpty();
  }

  @Test
  void anUnknownValue_isReportedAtItsPosition_withTheAllowedOnes() {
    Fixtures.replace(
        root,
        DEV,
        "driftPolicy: overwrite\n",
        "driftPolicy: overwrite\nonFailedRollout: revert-brnch\n");
    GitOpsValidationException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            GitOpsValidationException.class, this::repo);
    assertThat(e.errors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.file() + ":" + error.line() + ":" + error.column())
                  .isEqualTo(DEV + ":8:18");
              assertThat(error.message())
                  .isEqualTo(
                      "unknown onFailedRollout 'revert-brnch'; did you mean 'revert-branch'?");
              assertThat(error.hint()).isEqualTo("use one of report, revert-branch");
            });
  }

  @Test
  void report_theDefault_writesNothing() throws Exception {
    // Given no onFailedRollout: the default, report
    failedRollout("");
    GitOpsRepository repo = repo();
    assertThat(repo.environment("dev").onFailedRollout()).isEqualTo(FailedRolloutPolicy.REPORT);

    // When
    List<RolloutReverts.Revert> reverts = revert();

    // Then the plan reports the failure, and no branch exists
    assertThat(new Planner(repo).plan("dev", platform).drift())
        .extracting(Plan.Drift::kind)
        .containsExactly("rollout");
    assertThat(reverts).isEmpty();
    ci.fetch().setRemote("origin").call();
    assertThat(ci.getRepository().resolve("refs/remotes/origin/" + BRANCH)).isNull();
    assertThat(ci.getRepository().resolve("refs/heads/" + BRANCH)).isNull();
  }

  @Test
  void aPendingPromotionOfAnotherRelease_onTheRevertBranch_isAProblemNotAnException()
      throws Exception {
    // Given a revert pending for an older failure of another release on the same branch
    failedRollout("onFailedRollout: revert-branch\n");
    revert();
    RolloutRequest request = platform.started.get(0);
    RolloutStatus status = platform.rollouts.get("grader/dev");
    platform.rollouts.put(
        "grader/dev",
        new RolloutStatus(
            status.function(),
            status.alias(),
            status.release(),
            status.primaryVersion(),
            request.canaryVersion(),
            status.state(),
            status.step(),
            status.weight(),
            status.aliasRevision(),
            status.strategy(),
            status.startedAt().plusSeconds(3600),
            status.stepStartedAt(),
            status.samples(),
            status.gates(),
            status.history(),
            "aborted by a person"));
    Fixtures.replace(root, DEV, "driftPolicy: overwrite\n", "driftPolicy: overwrite # moved\n");
    commitAndPush("Merge pull request #8: a comment");

    // When a second failure of the same release (a later rollout) is found
    List<RolloutReverts.Revert> reverts = revert();

    // Then the pending revert of the first is not replaced: the problem is said, nothing thrown
    assertThat(reverts)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.result()).isNull();
              assertThat(r.problem())
                  .contains("another change to this alias is pending on branch " + BRANCH);
            });
  }
}
