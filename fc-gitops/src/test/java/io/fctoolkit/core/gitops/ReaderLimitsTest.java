package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs GitOpsReaderFuzzTest found: each is refused with a positioned error, and quickly. */
class ReaderLimitsTest {

  private static final String PROD_ALIAS = "        release: 2026-11-21.1\n";

  @TempDir Path dir;

  @Test
  void deeplyNestedFlowYaml_isRefusedAtItsPosition_notAStackOverflow() {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    Fixtures.write(root, Fixtures.GRADER, "[".repeat(20_000) + "]".repeat(20_000));

    GitOpsValidationException refused = refuse(root);

    assertThat(refused.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo(Fixtures.GRADER);
              assertThat(e.message()).contains("nesting deeper than 64 levels");
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(65);
            });
  }

  @Test
  void deeplyNestedBlockYaml_isRefused() {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      text.append(" ".repeat(i)).append("k:\n");
    }
    Fixtures.write(root, Fixtures.PROD, text.toString());

    GitOpsValidationException refused = refuse(root);

    assertThat(refused.errors())
        .anySatisfy(
            e -> {
              assertThat(e.file()).isEqualTo(Fixtures.PROD);
              assertThat(e.message()).contains("nesting deeper than 64 levels");
              assertThat(e.line()).isEqualTo(65);
            });
  }

  @Test
  void nestingOfSixtyFourLevels_isStillYaml() {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    // 63 levels under the root mapping: an unknown field, but not a YAML error.
    Fixtures.replace(
        root,
        Fixtures.GRADER,
        "idempotent: true\n",
        "x: " + "[".repeat(63) + "]".repeat(63) + "\n");

    GitOpsValidationException refused = refuse(root);

    assertThat(refused.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("unknown field 'x'"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e999999999",
        "1e-999999999",
        "0.0000000000000000001",
        "10000000000000000000000000000000000000000000000000000000000000000000000"
      })
  void absurdWeights_areRefusedQuickly(String weight) {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    Fixtures.replace(
        root,
        Fixtures.PROD,
        PROD_ALIAS,
        PROD_ALIAS + "        canaryRelease: 2026-11-21.1\n        weight: " + weight + "\n");

    GitOpsValidationException refused =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refuse(root));

    assertThat(refused.errors())
        .anySatisfy(
            e -> {
              assertThat(e.file()).isEqualTo(Fixtures.PROD);
              assertThat(e.path()).isEqualTo("functions.grader.aliases[0].weight");
              assertThat(e.message()).containsAnyOf("too large", "too long");
            });
  }

  @Test
  void ordinaryDecimalWeight_isStillAccepted() {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    Fixtures.replace(
        root,
        Fixtures.PROD,
        PROD_ALIAS,
        PROD_ALIAS + "        canaryRelease: 2026-11-22.1\n        weight: 2.50\n");
    Fixtures.replace(
        root,
        Fixtures.PROD,
        "    aliases:\n",
        "      - id: 2026-11-22.1\n        image: r/grader@" + Fixtures.D2 + "\n    aliases:\n");

    GitOpsRepository repo = GitOpsRepository.open(root);

    AliasSpec prod =
        repo.environment("prod").function("grader").orElseThrow().alias("prod").orElseThrow();
    assertThat(prod.weight()).isEqualByComparingTo("2.5");
  }

  private static GitOpsValidationException refuse(Path root) {
    GitOpsValidationException refused =
        catchThrowableOfType(GitOpsValidationException.class, () -> GitOpsRepository.open(root));
    assertThat(refused).as("refused").isNotNull();
    return refused;
  }
}
