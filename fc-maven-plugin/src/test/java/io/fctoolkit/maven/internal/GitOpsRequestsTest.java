package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.gitops.DriftPolicy;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.Plan;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitOpsRequestsTest {

  @TempDir Path dir;

  @Test
  void gitopsDir_locatesTheNearestGitopsFolder_orTakesTheConfiguredOneRelativeToTheProject()
      throws Exception {
    Path gitops = Files.createDirectories(dir.resolve("gitops"));
    Files.createDirectories(gitops.resolve("functions"));
    Files.createDirectories(gitops.resolve("environments"));
    Path module = Files.createDirectories(dir.resolve("grader-function"));

    assertThat(GitOpsRequests.gitopsDir(null, module)).isEqualTo(gitops.toAbsolutePath());
    assertThat(GitOpsRequests.gitopsDir(" ../elsewhere ", module))
        .isEqualTo(dir.resolve("elsewhere").toAbsolutePath());
    assertThatThrownBy(() -> GitOpsRequests.gitopsDir(null, Path.of("/")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void environment_isRequired() {
    assertThat(GitOpsRequests.environment(" prod ")).isEqualTo("prod");
    assertThatThrownBy(() -> GitOpsRequests.environment(" "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("-Dfc.env=");
  }

  @Test
  void planFiles_andDetailedExitCode() {
    Path target = dir.resolve("target");
    assertThat(GitOpsRequests.planFile(target, "prod", "md"))
        .isEqualTo(target.resolve("fc/plan-prod.md"));
    Plan none = plan(List.of());
    Plan some = plan(List.of(alias()));

    assertThat(GitOpsRequests.detailedExitCode(none)).isZero();
    assertThat(GitOpsRequests.detailedExitCode(some)).isEqualTo(2);
    assertThat(GitOpsRequests.changesMessage(some, false, target)).isNull();
    assertThat(GitOpsRequests.changesMessage(none, true, target)).isNull();
    assertThat(GitOpsRequests.changesMessage(some, true, target.resolve("fc/plan-prod.json")))
        .startsWith("FC_PLAN_CHANGES_PENDING: 1 change(s) pending in prod")
        .contains("plan-prod.json");
  }

  @Test
  void via_acceptsGitOrPlatform_andRefusesTypos() {
    assertThat(GitOpsRequests.viaGit(null)).isFalse();
    assertThat(GitOpsRequests.viaGit("platform")).isFalse();
    assertThat(GitOpsRequests.viaGit("GIT")).isTrue();
    assertThatThrownBy(() -> GitOpsRequests.viaGit("gti"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'gti': expected git or platform");
  }

  @Test
  void gitOptions_fromProperties() {
    assertThat(GitOpsRequests.gitOptions(null, null, null))
        .isEqualTo(GitPromoter.Options.defaults());
    GitPromoter.Options options = GitOpsRequests.gitOptions("upstream", "release", "false");
    assertThat(options.remote()).isEqualTo("upstream");
    assertThat(options.baseBranch()).isEqualTo("release");
    assertThat(options.push()).isFalse();
    assertThatThrownBy(() -> GitOpsRequests.gitOptions(null, null, "yes"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("expected true or false");
  }

  @Test
  void gitPromotion_namesAReleaseNeverAVersion_withOptionalWeightAndAffinity() {
    assertThat(GitOpsRequests.gitRelease("2026-11-22.1", null)).isEqualTo("2026-11-22.1");
    assertThatThrownBy(() -> GitOpsRequests.gitRelease(null, 3))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("-Dfc.release=");
    assertThatThrownBy(() -> GitOpsRequests.gitRelease(null, null))
        .hasMessageContaining("Missing release to promote");
    assertThat(GitOpsRequests.weight(null)).isNull();
    assertThat(GitOpsRequests.weight("2.5")).isEqualByComparingTo("2.5");
    assertThatThrownBy(() -> GitOpsRequests.weight("ten")).hasMessageContaining("'ten'");
    assertThat(GitOpsRequests.affinity("key", BigDecimal.TEN)).isEqualTo(Affinity.KEY);
    assertThat(GitOpsRequests.affinity("key", null)).as("no canary: keep the file's").isNull();
    assertThatThrownBy(() -> GitOpsRequests.affinity("sticky", BigDecimal.ONE))
        .hasMessageContaining("expected none or key");
  }

  @Test
  void stateDir_relativeToTheRepositoryRoot_homeExpanded() {
    Path gitops = dir.resolve("repo/gitops");
    assertThat(GitOpsRequests.stateDir(".fc/state", gitops))
        .isEqualTo(dir.resolve("repo/.fc/state"));
    assertThat(GitOpsRequests.stateDir("/var/fc", gitops)).isEqualTo(Path.of("/var/fc"));
    assertThat(GitOpsRequests.stateDir("~/.fc-toolkit/local", gitops))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".fc-toolkit/local"));
  }

  private static Plan.AliasChange alias() {
    return new Plan.AliasChange(
        "grader", "prod", Plan.Kind.CREATE, null, null, null, null, null, 0, false);
  }

  private static Plan plan(List<Plan.AliasChange> aliases) {
    return new Plan(
        "prod",
        "knative",
        DriftPolicy.FAIL,
        List.of(),
        aliases,
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }
}
