package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GitOpsRepositoryTest {

  static final Path PROJECT_GITOPS = Path.of("..", "gitops");

  @Test
  void open_projectGitops_readsGraderDevAndProd() {
    GitOpsRepository repo = GitOpsRepository.open(PROJECT_GITOPS);

    FunctionSpec grader = repo.function("grader");
    assertThat(grader.handler()).isEqualTo("io.fctoolkit.grader.GraderFunction");
    TriggerDecl submissions = grader.trigger("submissions").orElseThrow();
    TriggerSpec prodTrigger =
        submissions.toSpec("grader", "prod", repo.environment("prod").bootstrapServers());
    assertThat(prodTrigger.deadLetterTopic()).isEqualTo("submissions-dlq");
    assertThat(prodTrigger.onSuccessTopic()).isEqualTo("grades");
    assertThat(prodTrigger.ordering()).isEqualTo(Ordering.KEY);
    assertThat(prodTrigger.consumerGroup()).isEqualTo("fc-grader-submissions");
    assertThat(grader.config().env().get("GRADER_PHOTO_TOKEN"))
        .isEqualTo("${secret:grader-photos/token}");

    EnvironmentSpec dev = repo.environment("dev");
    assertThat(dev.platform()).isInstanceOf(PlatformBinding.Local.class);
    assertThat(dev.bootstrapServers()).isNull();
    assertThat(dev.driftPolicy()).isEqualTo(DriftPolicy.OVERWRITE);
    assertThat(dev.function("grader").orElseThrow().alias("dev").orElseThrow().release())
        .isEqualTo("2026-11-22.1");

    EnvironmentSpec prod = repo.environment("prod");
    assertThat(prod.platform()).isEqualTo(new PlatformBinding.Knative("prod", "grader"));
    assertThat(prod.driftPolicy()).isEqualTo(DriftPolicy.FAIL);
    assertThat(prod.function("grader").orElseThrow().trigger("submissions").orElseThrow().alias())
        .isEqualTo("prod");
  }
}
