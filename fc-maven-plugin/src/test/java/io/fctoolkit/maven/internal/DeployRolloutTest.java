package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.gitops.GitOpsRepository;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@code fc:deploy} rolls out instead of moving the alias, and with which strategy. */
class DeployRolloutTest {

  @TempDir Path dir;
  GitOpsRepository repo;

  @BeforeEach
  void setUp() throws IOException {
    Path gitops = dir.resolve("gitops");
    Files.createDirectories(gitops.resolve("functions/hello/smoke"));
    Files.createDirectories(gitops.resolve("environments/dev"));
    Files.writeString(
        gitops.resolve("functions/hello.yaml"),
        "apiVersion: fc-toolkit.io/v1\nkind: Function\nname: hello\nhandler: a.B\n");
    Files.writeString(gitops.resolve("functions/hello/smoke/ping.json"), "{\"method\": \"GET\"}");
    Files.writeString(
        gitops.resolve("environments/dev/environment.yaml"),
        "apiVersion: fc-toolkit.io/v1\n"
            + "kind: Environment\n"
            + "name: dev\n"
            + "platform: {type: local}\n"
            + "functions:\n"
            + "  hello:\n"
            + "    releases:\n"
            + "      - id: dev\n"
            + "        image: hello:dev\n"
            + "    aliases:\n"
            + "      - name: dev\n"
            + "        release: dev\n"
            + "        rollout:\n"
            + "          steps: [20]\n"
            + "      - name: other\n"
            + "        release: dev\n");
    repo = GitOpsRepository.open(gitops);
  }

  private Optional<DeployRollout> choose(String setting, String alias) {
    return DeployRollout.choose(setting, repo, repo.environment("dev"), "hello", alias);
  }

  @Test
  void auto_rollsOutWhereTheEnvironmentDeclaresARollout_withItsStrategyAndSmoke() {
    DeployRollout rollout = choose("auto", "dev").orElseThrow();
    assertThat(rollout.strategy().steps()).containsExactly(BigDecimal.valueOf(20));
    assertThat(rollout.smoke())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("functions/hello/smoke/ping.json"));
    assertThat(rollout.source())
        .isEqualTo("the rollout of alias dev in environments/dev/environment.yaml");
    assertThat(choose(null, "dev")).isPresent();
    assertThat(choose("auto", "other")).isEmpty();
  }

  @Test
  void true_rollsOutEvenWithoutADeclaration_withTheDefaults_andFalseNever() {
    assertThat(choose("true", "other").orElseThrow().strategy())
        .isEqualTo(RolloutStrategy.defaults());
    assertThat(choose("TRUE", "dev").orElseThrow().strategy().steps())
        .containsExactly(BigDecimal.valueOf(20));
    assertThat(choose("false", "dev")).isEmpty();
    assertThat(DeployRollout.choose("true", null, null, "hello", "dev").orElseThrow().smoke())
        .isEmpty();
    assertThat(DeployRollout.choose("auto", null, null, "hello", "dev")).isEmpty();
  }

  @Test
  void anotherValue_isRefused_namingTheProperty() {
    assertThatThrownBy(() -> choose("yes", "dev"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("fc.rollout is 'yes'")
        .satisfies(
            e ->
                assertThat(((InvalidRequestException) e).hint())
                    .isEqualTo(
                        "use -Dfc.rollout=auto (as the environment's file says), true or false"));
  }
}
