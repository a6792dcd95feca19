package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.knative.RenderInput.RenderAlias;
import io.fctoolkit.knative.RenderInput.RenderVersion;
import io.fctoolkit.knative.RenderedManifests.Manifest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnativeRendererTest {

  /** Run with -Dfc.golden.update=true to rewrite the golden files after an intended change. */
  private static final boolean UPDATE = Boolean.getBoolean("fc.golden.update");

  @Test
  void render_dev_matchesGoldenFiles(@TempDir Path out) throws IOException {
    assertGolden("dev", KnativeRenderer.render(Grader.dev()), out);
  }

  @Test
  void render_prod_matchesGoldenFiles(@TempDir Path out) throws IOException {
    assertGolden("prod", KnativeRenderer.render(Grader.prod()), out);
  }

  @Test
  void render_everyObject_validatesAgainstTheRealCrdSchemas() {
    for (RenderInput input : List.of(Grader.dev(), Grader.prod())) {
      for (Manifest m : KnativeRenderer.render(input).manifests()) {
        assertThat(CrdSchemas.get().validate(m.object())).as(m.fileName()).isEmpty();
      }
    }
  }

  @Test
  void render_sameInputInAnotherOrder_givesTheSameBytes() {
    RenderInput prod = Grader.prod();
    List<RenderVersion> versions = new ArrayList<>(prod.versions());
    Collections.reverse(versions);
    RenderInput shuffled =
        new RenderInput(
            prod.namespace(),
            prod.function(),
            versions,
            prod.aliases(),
            List.of(prod.triggers().get(1), prod.triggers().get(0)),
            prod.primaryAlias(),
            prod.kafkaBootstrapServers());
    assertThat(yamls(KnativeRenderer.render(shuffled)))
        .isEqualTo(yamls(KnativeRenderer.render(prod)));
  }

  @Test
  void render_prod_reportsTheRoundedWeightAndKeyOrdering() {
    RenderedManifests rendered = KnativeRenderer.render(Grader.prod());
    assertThat(rendered.findings())
        .extracting(KnativeFinding::field)
        .contains("alias.prod.canaryWeight", "trigger.submissions.ordering");
    assertThat(rendered.findings().toString()).contains("12.5% becomes 13%");
    String service = rendered.manifests().get(0).yaml();
    assertThat(service).contains("percent: 87").contains("percent: 13");
  }

  @Test
  void render_secretReference_becomesASecretKeyRef() {
    String service = KnativeRenderer.render(Grader.prod()).manifests().get(0).yaml();
    assertThat(service)
        .contains(
            "- name: GRADER_PHOTO_TOKEN\n"
                + "              valueFrom:\n"
                + "                secretKeyRef:\n"
                + "                  key: token\n"
                + "                  name: grader-photos\n");
  }

  @Test
  void render_keyAffinity_isRefusedWithTheField() {
    RenderInput prod = Grader.prod();
    RenderInput affinity =
        new RenderInput(
            prod.namespace(),
            prod.function(),
            prod.versions(),
            List.of(
                new RenderAlias("prod", AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY))),
            List.of(),
            "prod",
            null);
    assertThatThrownBy(() -> KnativeRenderer.render(affinity))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining("alias.prod.affinity")
        .hasMessageContaining("key affinity is not expressible");
  }

  @Test
  void render_canaryOnNonPrimaryAlias_isRefused() {
    RenderInput prod = Grader.prod();
    RenderInput input =
        new RenderInput(
            prod.namespace(),
            prod.function(),
            prod.versions(),
            List.of(
                new RenderAlias("prod", AliasTarget.of(1)),
                new RenderAlias(
                    "staging", AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.NONE))),
            List.of(),
            "prod",
            null);
    assertThatThrownBy(() -> KnativeRenderer.render(input))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining("alias.staging.canaryVersion")
        .hasMessageContaining("only the primary alias (prod)");
  }

  @Test
  void renderInput_aliasOnMissingVersion_namesTheField() {
    RenderInput prod = Grader.prod();
    assertThatThrownBy(
            () ->
                new RenderInput(
                    prod.namespace(),
                    prod.function(),
                    prod.versions(),
                    List.of(new RenderAlias("prod", AliasTarget.of(7))),
                    List.of(),
                    "prod",
                    null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("aliases.prod.version")
        .hasMessageContaining("version 7");
  }

  @Test
  void renderInput_triggerWithoutKafka_isRefused() {
    RenderInput dev = Grader.dev();
    RenderInput noKafka =
        new RenderInput(
            dev.namespace(),
            dev.function(),
            dev.versions(),
            dev.aliases(),
            dev.triggers(),
            null,
            null);
    assertThatThrownBy(() -> KnativeRenderer.render(noKafka))
        .hasMessageContaining("trigger.submissions.bootstrapServers");
  }

  @Test
  void writeTo_removesOnlyStaleRenderedFiles(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("notes.yaml"), "mine: true\n");
    Files.writeString(
        dir.resolve("kafkasource-grader-old.yaml"), RenderedManifests.HEADER + "\nkind: X\n");
    KnativeRenderer.render(Grader.dev()).writeTo(dir);
    assertThat(dir.resolve("notes.yaml")).exists();
    assertThat(dir.resolve("kafkasource-grader-old.yaml")).doesNotExist();
    assertThat(dir.resolve("kustomization.yaml")).exists();
  }

  private static List<String> yamls(RenderedManifests r) {
    return r.manifests().stream().map(Manifest::yaml).toList();
  }

  private static void assertGolden(String env, RenderedManifests rendered, Path out)
      throws IOException {
    rendered.writeTo(out);
    Path golden = Path.of("src/test/resources/golden", env);
    if (UPDATE) {
      Files.createDirectories(golden);
      try (Stream<Path> old = Files.list(golden)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      rendered.writeTo(golden);
    }
    Map<String, String> expected = read(golden);
    Map<String, String> actual = read(out);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    actual.forEach((file, content) -> assertThat(content).as(file).isEqualTo(expected.get(file)));
  }

  private static Map<String, String> read(Path dir) throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
