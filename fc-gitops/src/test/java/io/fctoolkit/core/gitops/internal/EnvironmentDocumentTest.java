package io.fctoolkit.core.gitops.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.gitops.AliasSpec;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class EnvironmentDocumentTest {

  static final String DIGEST =
      "sha256:82f3e9c695dc6b8d1b11818d5701919e286de8d47f7c3eb3100c485f79e57828";

  static final String FILE =
      """
      # Zürich 🚀 production
      functions:
        grader:
          releases:
            - id: "2026-11-21.1"     # first
              image: r/g@%s
          aliases:
            # the public alias
            - name: prod
              release: "2026-11-21.1"   # live since Monday
              canaryRelease: 2026-11-22.1 # trying it
              weight: 10    # percent
              affinity: key
            - name: beta
              release: 2026-11-21.1

          triggers: []
      """
          .formatted(DIGEST);

  @Test
  void withAlias_replacesValuesInPlace_andDeletesCanaryLines_keepingEverythingElse() {
    EnvironmentDocument doc = EnvironmentDocument.parse(FILE);

    String edited =
        doc.withAlias(
            "grader", new AliasSpec("prod", "2026-11-22.1", null, BigDecimal.ZERO, Affinity.NONE));

    assertThat(edited)
        .isEqualTo(
            FILE.replace(
                """
                        release: "2026-11-21.1"   # live since Monday
                        canaryRelease: 2026-11-22.1 # trying it
                        weight: 10    # percent
                        affinity: key
                """,
                """
                        release: 2026-11-22.1   # live since Monday
                """));
    assertThat(EnvironmentDocument.parse(edited).alias("grader", "prod").orElseThrow().release())
        .isEqualTo("2026-11-22.1");
  }

  @Test
  void withAlias_addsMissingFieldsAfterTheLastOne_atTheAliasIndentation() {
    EnvironmentDocument doc = EnvironmentDocument.parse(FILE);

    String edited =
        doc.withAlias(
            "grader",
            new AliasSpec(
                "beta", "2026-11-21.1", "2026-11-22.1", new BigDecimal("2.5"), Affinity.KEY));

    assertThat(edited)
        .isEqualTo(
            FILE.replace(
                """
                      - name: beta
                        release: 2026-11-21.1
                """,
                """
                      - name: beta
                        release: 2026-11-21.1
                        canaryRelease: 2026-11-22.1
                        weight: 2.5
                        affinity: key
                """));
  }

  @Test
  void withRelease_appendsAfterTheLastRelease_andQuotesIdsThatWouldReadAsNumbers() {
    EnvironmentDocument doc = EnvironmentDocument.parse(FILE);

    String edited =
        doc.withRelease("grader", new Release("20261122", ImageRef.parse("r/g@" + DIGEST)));

    assertThat(edited)
        .contains(
            "        image: r/g@"
                + DIGEST
                + "\n      - id: \"20261122\"\n        image: r/g@"
                + DIGEST
                + "\n    aliases:\n");
    assertThat(EnvironmentDocument.parse(edited).releases("grader"))
        .extracting(Release::id)
        .containsExactly("2026-11-21.1", "20261122");
  }

  @Test
  void withRelease_intoAnEmptyOrMissingList_writesABlockList() {
    String empty = "functions:\n  grader:\n    releases: []   # none yet\n    aliases: []\n";
    String missing = "functions:\n  grader:\n    aliases: []\n";
    Release release = new Release("r1", ImageRef.parse("r/g@" + DIGEST));

    assertThat(EnvironmentDocument.parse(empty).withRelease("grader", release))
        .isEqualTo(
            "functions:\n  grader:\n    releases:\n      - id: r1\n        image: r/g@"
                + DIGEST
                + "\n    aliases: []\n");
    assertThat(EnvironmentDocument.parse(missing).withRelease("grader", release))
        .isEqualTo(
            "functions:\n  grader:\n    releases:\n      - id: r1\n        image: r/g@"
                + DIGEST
                + "\n    aliases: []\n");
  }

  @Test
  void crlfFiles_stayCrlf() {
    String crlf = FILE.replace("\n", "\r\n");

    String edited =
        EnvironmentDocument.parse(crlf)
            .withAlias(
                "grader",
                new AliasSpec(
                    "beta", "2026-11-21.1", "2026-11-22.1", BigDecimal.ONE, Affinity.NONE));

    assertThat(edited.replace("\r\n", "")).doesNotContain("\n");
    assertThat(edited).contains("        canaryRelease: 2026-11-22.1\r\n        weight: 1\r\n");
  }

  @Test
  void flowStyleAlias_isRefusedWithAHint() {
    String flow = "functions:\n  grader:\n    aliases:\n      - {name: prod, release: a}\n";

    assertThatThrownBy(
            () ->
                EnvironmentDocument.parse(flow)
                    .withAlias(
                        "grader", new AliasSpec("prod", "b", null, BigDecimal.ZERO, Affinity.NONE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flow style")
        .hasMessageContaining("block style");
  }

  @Test
  void withAlias_onAnAliasWithARollout_changesTheReleaseAndKeepsTheRolloutBlock() {
    // What a rollback written to Git does after a failed rollout: the strategy stays.
    String file =
        """
        functions:
          grader:
            aliases:
              - name: prod
                release: 2026-11-22.1
                rollout:
                  steps: [10, 50]   # slow start
                  gates:
                    maxDeadLetterRate: 0.5
            triggers: []
        """;

    String edited =
        EnvironmentDocument.parse(file).withAlias("grader", AliasSpec.of("prod", "2026-11-21.1"));

    assertThat(edited).isEqualTo(file.replace("release: 2026-11-22.1", "release: 2026-11-21.1"));
  }
}
