package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPositionsTest {

  private static final String FILE = "environments/prod/environment.yaml";

  private static final String TEXT =
      String.join(
          "\n",
          "functions:",
          "  grader:",
          "    aliases:",
          "      - name: dev",
          "        release: a",
          "      - name: prod",
          "        release: b",
          "        rollout:",
          "          steps: [5, 25.5, 50]",
          "          gates:",
          "            maxErrorRate: 1",
          "");

  private final FieldPositions positions = FieldPositions.of(FILE, TEXT);

  @Test
  void position_ofAWrittenField_isItsKey() {
    assertThat(positions.position("functions.grader.aliases[1].rollout.gates.maxErrorRate"))
        .isEqualTo(FILE + ":11:13");
  }

  @Test
  void position_ofASequenceItem_isTheItem() {
    assertThat(positions.position("functions.grader.aliases[1].rollout.steps[1]"))
        .isEqualTo(FILE + ":9:22");
  }

  @Test
  void position_ofADefaultedField_isItsNearestWrittenAncestor() {
    assertThat(positions.position("functions.grader.aliases[1].rollout.minSamples"))
        .isEqualTo(FILE + ":8:9");
    assertThat(positions.position("functions.grader.aliases[1].rollout.gates.maxP99"))
        .isEqualTo(FILE + ":10:11");
  }

  @Test
  void annotate_prefixesEveryPathWithItsPosition_andLeavesOtherTextAlone() {
    String text =
        "ERROR functions.grader.aliases[1].rollout.steps[1]: rounds; WARNING"
            + " functions.grader.aliases[1].rollout: no key affinity; grader alias prod: fine";

    assertThat(positions.annotate(text))
        .isEqualTo(
            "ERROR "
                + FILE
                + ":9:22: functions.grader.aliases[1].rollout.steps[1]: rounds; WARNING "
                + FILE
                + ":8:9: functions.grader.aliases[1].rollout: no key affinity;"
                + " grader alias prod: fine");
  }

  @Test
  void of_unreadableYaml_pointsAtTheFileOnly() {
    FieldPositions broken = FieldPositions.of(FILE, "functions: [");

    assertThat(broken.position("functions.grader.aliases[0].rollout")).isEqualTo(FILE);
  }
}
