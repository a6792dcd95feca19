package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.CrdSchemas;
import io.fctoolkit.maven.internal.EnvironmentRendering;
import io.fctoolkit.maven.internal.PlatformSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code gitops/rendered/prod/} (what Argo CD and Flux sync) is exactly what {@code
 * fc:render -Dfc.env=prod} writes from the committed gitops files, and every object in it validates
 * against the Knative CRDs.
 */
class RenderedProdGoldenTest {

  static final Path GITOPS = Path.of("..", "gitops");
  static final Path COMMITTED = EnvironmentRendering.renderDir(GITOPS, "prod");
  static final String REFRESH =
      "gitops/rendered/prod is stale: refresh it from the repository root with"
          + " `./mvnw -B -q install -DskipTests -DskipITs && ./mvnw -B -pl grader-function fc:render"
          + " -Dfc.env=prod`"
          + " and commit the result";

  @TempDir Path fresh;

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void committedRendering_isByteForByteWhatFcRenderWritesNow() throws IOException {
    // The provider fc:render finds through ServiceLoader, as the goal does.
    EnvironmentRendering.render(
        GitOpsRepository.open(GITOPS),
        "prod",
        fresh,
        connection ->
            PlatformSupport.provider(getClass().getClassLoader(), connection.type(), "test"));

    assertThat(files(COMMITTED)).as(REFRESH).isEqualTo(files(fresh));
    for (String file : files(fresh)) {
      assertThat(Files.readAllBytes(COMMITTED.resolve(file)))
          .as(REFRESH + " (" + file + " differs)")
          .isEqualTo(Files.readAllBytes(fresh.resolve(file)));
    }
  }

  @Test
  void committedRendering_validatesAgainstTheKnativeCrds() throws IOException {
    int validated = 0;
    for (String file : files(COMMITTED)) {
      if (file.equals("kustomization.yaml")) {
        continue; // kustomize's own file, not a cluster object
      }
      if (file.equals("namespace-grader.yaml")) {
        continue; // a core object, no Knative CRD: checked below
      }
      JsonNode object = new YAMLMapper().readTree(COMMITTED.resolve(file).toFile());
      assertThat(CrdSchemas.get().validate(object)).as(file).isEmpty();
      validated++;
    }
    assertThat(validated).isEqualTo(5);
  }

  @Test
  void committedRendering_createsItsNamespace_whichNoControllerPrunes() throws IOException {
    // Flux creates no namespace; without this object the first sync of prod fails.
    JsonNode namespace =
        new YAMLMapper().readTree(COMMITTED.resolve("namespace-grader.yaml").toFile());
    assertThat(namespace.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(namespace.path("kind").asText()).isEqualTo("Namespace");
    assertThat(namespace.path("metadata").path("name").asText()).isEqualTo("grader");
    JsonNode annotations = namespace.path("metadata").path("annotations");
    assertThat(annotations.path("kustomize.toolkit.fluxcd.io/prune").asText())
        .isEqualTo("disabled");
    assertThat(annotations.path("argocd.argoproj.io/sync-options").asText())
        .isEqualTo("Prune=false");
    // first in apply order: everything else lives in it
    assertThat(Files.readAllLines(COMMITTED.resolve("kustomization.yaml")))
        .containsSubsequence("resources:", "  - namespace-grader.yaml", "  - service-grader.yaml");
  }
}
