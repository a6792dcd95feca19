package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.gitops.DriftPolicy;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.PlatformBinding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectChangesTest {

  private final GitOpsRepository gitops = GitOpsRepository.open(Path.of("..", "gitops"));

  private static EnvironmentSpec staging(DriftPolicy policy) {
    return new EnvironmentSpec(
        "staging",
        "environments/staging/environment.yaml",
        new PlatformBinding.Knative(null, "staging"),
        null,
        policy,
        List.of());
  }

  @Test
  void deploy_toProd_whoseFileKeepsGitAsTheRecord_isRefusedWithBothWaysOut() {
    assertThatThrownBy(() -> DirectChanges.check(gitops.environment("prod"), "deploy", false))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("environments/prod/environment.yaml says driftPolicy: fail")
        .satisfies(
            e ->
                assertThat(((InvalidRequestException) e).hint())
                    .contains("-Dfc.direct=true")
                    .contains("fc:apply"));
  }

  @Test
  void promote_toAReportEnvironment_pointsAtAPullRequest() {
    assertThatThrownBy(() -> DirectChanges.check(staging(DriftPolicy.REPORT), "promote", false))
        .hasMessageContaining("the next fc:apply reports the drift")
        .satisfies(e -> assertThat(((InvalidRequestException) e).hint()).contains("-Dfc.via=git"));
  }

  @Test
  void directOptIn_orAnOverwriteEnvironment_isAllowed() {
    assertThatCode(() -> DirectChanges.check(gitops.environment("prod"), "promote", true))
        .doesNotThrowAnyException();
    assertThatCode(() -> DirectChanges.check(gitops.environment("dev"), "deploy", false))
        .doesNotThrowAnyException();
    assertThatCode(() -> DirectChanges.check(staging(DriftPolicy.OVERWRITE), "rollback", false))
        .doesNotThrowAnyException();
  }

  @Test
  void driftWarning_onlyWhereGitIsTheRecord() {
    assertThat(DirectChanges.driftWarning(gitops.environment("prod"), "deploy"))
        .contains("next fc:apply stops on the drift");
    assertThat(DirectChanges.driftWarning(gitops.environment("dev"), "deploy")).isNull();
  }
}
