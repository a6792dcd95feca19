package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.DesiredFunction;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.KnativeProvider;
import io.fctoolkit.knative.KnativeRenderer;
import io.fctoolkit.knative.RenderInput;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maps the repository's own gitops/ folder (copied) to the Knative renderer's input. */
class RenderInputsTest {

  static final String D2 = "sha256:" + "2".repeat(64);

  @TempDir Path dir;
  Path gitops;

  @BeforeEach
  void copyTheRepositorysGitops() throws IOException {
    Path source = Path.of("..", "gitops").toAbsolutePath().normalize();
    gitops = dir.resolve("gitops");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = gitops.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
  }

  @Test
  void prod_versionsAreReleasePositions_aliasesAndTriggersMapped() {
    GitOpsRepository repository = GitOpsRepository.open(gitops);
    RenderInput input =
        KnativeProvider.input(
            KnativeProvider.options(
                PlatformConnections.of(repository.environment("prod"), Duration.ZERO)),
            RenderInputs.of(repository, "prod").stream().findFirst().orElseThrow());

    assertThat(input.namespace()).isEqualTo("grader");
    assertThat(input.function()).isEqualTo("grader");
    assertThat(input.versions())
        .extracting(RenderInput.RenderVersion::number, RenderInput.RenderVersion::releaseId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "2026-11-21.1"));
    assertThat(input.aliases())
        .extracting(RenderInput.RenderAlias::name, RenderInput.RenderAlias::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("prod", AliasTarget.of(1)));
    assertThat(input.triggers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.alias()).isEqualTo("prod");
              assertThat(t.ordering()).as("the binding's override").isEqualTo(Ordering.PARTITION);
              assertThat(t.bootstrapServers())
                  .isEqualTo("kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092");
            });
    assertThat(KnativeRenderer.render(input).manifests()).isNotEmpty();
  }

  @Test
  void canary_secondReleaseIsVersion2() throws IOException {
    Path file = gitops.resolve("environments/prod/environment.yaml");
    String yaml = Files.readString(file);
    Files.writeString(
        file,
        yaml.replace(
                "    aliases:\n",
                "      - id: 2026-11-22.1\n        image: ghcr.io/fc-toolkit/grader@"
                    + D2
                    + "\n    aliases:\n")
            .replace(
                "        release: 2026-11-21.1\n",
                "        release: 2026-11-21.1\n        canaryRelease: 2026-11-22.1\n"
                    + "        weight: 10\n"));

    DesiredFunction input = RenderInputs.of(GitOpsRepository.open(gitops), "prod").get(0);

    assertThat(input.versions())
        .extracting(DesiredFunction.DesiredVersion::number)
        .containsExactly(1, 2);
    assertThat(input.aliases().get(0).target().version()).isEqualTo(1);
    assertThat(input.aliases().get(0).target().canaryVersion()).isEqualTo(2);
    assertThat(input.aliases().get(0).target().canaryWeight()).isEqualByComparingTo(BigDecimal.TEN);
  }

  @Test
  void localEnvironment_isRefusedNamingItsFile() {
    assertThatThrownBy(() -> RenderInputs.of(GitOpsRepository.open(gitops), "dev"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'dev' runs on platform local")
        .hasMessageContaining("environments/dev/environment.yaml");
  }
}
