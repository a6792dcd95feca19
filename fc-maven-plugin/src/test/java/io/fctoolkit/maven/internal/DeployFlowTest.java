package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployFlowTest {

  private final GitOpsRepository gitops = GitOpsRepository.open(Path.of("..", "gitops"));
  private final Optional<FunctionSpec> grader = Optional.of(gitops.function("grader"));

  @Test
  void triggers_onLocal_invokeTheDeployedAlias_onTheRuntimesBroker() {
    List<TriggerSpec> triggers = DeployFlow.triggers(grader, null, "feature-x");

    assertThat(triggers)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.alias()).isEqualTo("feature-x");
              assertThat(t.bootstrapServers()).isNull();
              assertThat(t.ordering()).isEqualTo(Ordering.KEY); // the function file's
            });
  }

  @Test
  void triggers_inAnEnvironment_followItsBindings_asThePlanReadsThem() {
    List<TriggerSpec> triggers = DeployFlow.triggers(grader, gitops.environment("prod"), "next");

    assertThat(triggers)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.alias()).isEqualTo("prod"); // the binding's, not the deployed alias
              assertThat(t.ordering()).isEqualTo(Ordering.PARTITION); // prod's override
              assertThat(t.bootstrapServers())
                  .isEqualTo("kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092");
              assertThat(t.consumerGroup()).isEqualTo("fc-grader-submissions");
            });
  }

  @Test
  void triggers_withoutAFunctionFile_none() {
    assertThat(DeployFlow.triggers(Optional.empty(), gitops.environment("prod"), "prod")).isEmpty();
  }
}
