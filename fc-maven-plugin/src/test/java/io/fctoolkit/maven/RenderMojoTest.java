package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.RenderReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.KnativeOptions;
import io.fctoolkit.knative.KnativeProvider;
import io.fctoolkit.knative.KnativeRenderer;
import io.fctoolkit.knative.RenderedManifests;
import io.fctoolkit.maven.internal.EnvironmentRendering;
import io.fctoolkit.maven.internal.RenderInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderMojoTest {

  @TempDir Path dir;

  @Test
  void renderDir_isWhereTheArgoCdAndFluxExamplesPoint() throws Exception {
    Path gitops = Path.of("..", "gitops").toAbsolutePath().normalize();
    Path out = RenderMojo.renderDir(gitops, "prod");

    assertThat(gitops.getParent().relativize(out).toString()).isEqualTo("gitops/rendered/prod");
    assertThat(Files.readString(gitops.resolve("argocd/grader-prod.yaml")))
        .contains("path: gitops/rendered/prod");
    assertThat(Files.readString(gitops.resolve("flux/grader-prod.yaml")))
        .contains("path: ./gitops/rendered/prod");
  }

  @Test
  void prod_rendersTheServiceWithRevisionV1_deterministically() throws Exception {
    GitOpsRepository repository = GitOpsRepository.open(Path.of("..", "gitops"));
    KnativeOptions grader = KnativeOptions.of("grader");
    RenderedManifests first =
        KnativeRenderer.render(
            KnativeProvider.input(grader, RenderInputs.of(repository, "prod").get(0)));
    RenderedManifests second =
        KnativeRenderer.render(
            KnativeProvider.input(grader, RenderInputs.of(repository, "prod").get(0)));

    first.writeTo(dir);
    assertThat(Files.readString(dir.resolve("service-grader.yaml"))).contains("grader-v1");
    assertThat(Files.readString(dir.resolve("kustomization.yaml"))).contains("service-grader.yaml");
    assertThat(second.manifests())
        .extracting(RenderedManifests.Manifest::yaml)
        .isEqualTo(first.manifests().stream().map(RenderedManifests.Manifest::yaml).toList());
  }

  /** A copy of the repository's gitops whose prod alias has {@code rollout} lines after release. */
  private GitOpsRepository prodWithRollout(String rollout) throws Exception {
    Path gitops = dir.resolve("gitops");
    Path source = Path.of("..", "gitops");
    try (var files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = gitops.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path prod = gitops.resolve("environments/prod/environment.yaml");
    String text = Files.readString(prod);
    // Line 24 is prod's "release:"; the rollout block starts on line 25, column 9.
    assertThat(text.lines().toList().get(23)).isEqualTo("        release: 2026-11-21.1");
    String withRollout =
        text.replaceFirst("(?m)^(\\s+)release: (\\S+)$", "$1release: $2\n$1" + rollout);
    Files.writeString(prod, withRollout);
    return GitOpsRepository.open(gitops);
  }

  @Test
  void aliasWithRollout_rendersFlaggersCanaryAndPointsWarningsAtTheirLine() throws Exception {
    // Given: prod's alias takes the default rollout
    GitOpsRepository repository = prodWithRollout("rollout:");
    Path out = dir.resolve("out");

    // When
    RenderReport report =
        EnvironmentRendering.render(repository, "prod", out, c -> new KnativeProvider());

    // Then: the Canary is rendered, and a default field points at its rollout block
    assertThat(Files.readString(out.resolve("canary-grader.yaml"))).contains("provider: knative");
    assertThat(Files.readString(out.resolve("kustomization.yaml"))).contains("canary-grader.yaml");
    assertThat(report.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(
                        "environments/prod/environment.yaml:25:9:"
                            + " functions.grader.aliases[0].rollout.minSamples"));
  }

  @Test
  void aliasWithUnexpressibleRollout_isRefusedAtTheFieldsLine() throws Exception {
    GitOpsRepository repository = prodWithRollout("rollout:\n          onInconclusive: hold");

    assertThatThrownBy(
            () ->
                EnvironmentRendering.render(
                    repository, "prod", dir.resolve("out"), c -> new KnativeProvider()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(
            "environments/prod/environment.yaml:26:11:"
                + " functions.grader.aliases[0].rollout.onInconclusive");
  }
}
