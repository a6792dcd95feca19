package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.KnativeOptions;
import io.fctoolkit.knative.KnativeProvider;
import io.fctoolkit.knative.KnativeRenderer;
import io.fctoolkit.knative.RenderedManifests;
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

  @Test
  void aliasWithRollout_isRefusedNotRenderedAsOneStep() throws Exception {
    // Given: a copy of the repository's gitops with a rollout on prod's alias
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
    String withRollout =
        text.replaceFirst("(?m)^(\\s+)release: (\\S+)$", "$1release: $2\n$1rollout:");
    assertThat(withRollout).contains("rollout:");
    Files.writeString(prod, withRollout);
    GitOpsRepository repository = GitOpsRepository.open(gitops);

    // Then
    assertThatThrownBy(() -> RenderInputs.of(repository, "prod"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("has a rollout strategy, which rendered manifests cannot express");
  }
}
