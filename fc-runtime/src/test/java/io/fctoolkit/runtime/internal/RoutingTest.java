package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The alias router's choice between primary and canary. */
class RoutingTest {

  @Test
  void decimalWeight_splitsWithinStatisticalBounds() {
    AliasTarget target = AliasTarget.canary(7, 8, new BigDecimal("2.5"), Affinity.NONE);
    int n = 200_000;
    int canary = 0;
    for (int i = 0; i < n; i++) {
      if (AliasRouter.pick(target, null) == 8) {
        canary++;
      }
    }
    // mean 5000, sd ~69.8: five sd either side
    assertThat(canary).isBetween(5000 - 350, 5000 + 350);
  }

  @Test
  void keyAffinity_isStableAndUniform() {
    AliasTarget target = AliasTarget.canary(1, 2, new BigDecimal("30"), Affinity.KEY);
    int canary = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String key = "key-" + i;
      int first = AliasRouter.pick(target, key);
      assertThat(AliasRouter.pick(target, key)).isEqualTo(first);
      if (first == 2) {
        canary++;
      }
    }
    // mean 6000, sd ~64.8
    assertThat(canary).isBetween(6000 - 330, 6000 + 330);
    // The point is a pure function of the key (same in every JVM and after restarts).
    assertThat(AliasRouter.keyPoint("student-42")).isEqualTo(AliasRouter.keyPoint("student-42"));
    assertThat(AliasRouter.keyPoint("a")).isBetween(0.0, 100.0);
  }

  @Test
  void weightZeroAndHundred_areExact() {
    assertThat(AliasRouter.pick(AliasTarget.canary(1, 2, BigDecimal.ZERO, Affinity.NONE), null))
        .isEqualTo(1);
    for (int i = 0; i < 1000; i++) {
      assertThat(
              AliasRouter.pick(
                  AliasTarget.canary(1, 2, new BigDecimal("100"), Affinity.KEY), "k" + i))
          .isEqualTo(2);
      assertThat(AliasRouter.pick(AliasTarget.canary(1, 2, BigDecimal.ZERO, Affinity.KEY), "k" + i))
          .isEqualTo(1);
    }
  }

  @Test
  void readyLine_isRecognisedAmongOtherOutput() {
    assertThat(
            Instance.readyPort("{\"ts\":\"x\",\"level\":\"INFO\",\"msg\":\"ready\",\"port\":4321}"))
        .isEqualTo(4321);
    assertThat(Instance.readyPort("[0.01s][warning][aot] something ready")).isNull();
    assertThat(Instance.readyPort("{\"msg\":\"loading\",\"port\":1}")).isNull();
  }
}
