package io.fctoolkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AliasTargetTest {

  @Test
  void canary_whenWeightOutOfRange_refuses() {
    assertThatThrownBy(() -> AliasTarget.canary(1, 2, new BigDecimal("100.5"), Affinity.NONE))
        .hasMessageContaining("between 0 and 100")
        .hasMessageContaining("100.5");
    assertThatThrownBy(() -> AliasTarget.canary(1, 2, new BigDecimal("-1"), Affinity.NONE))
        .hasMessageContaining("-1");
  }

  @Test
  void canary_whenSameVersionTwice_refuses() {
    assertThatThrownBy(() -> AliasTarget.canary(3, 3, BigDecimal.TEN, Affinity.NONE))
        .hasMessageContaining("same as the primary");
  }

  @Test
  void canary_normalisesWeight() {
    assertThat(AliasTarget.canary(1, 2, new BigDecimal("10.50"), Affinity.KEY).canaryWeight())
        .isEqualTo(new BigDecimal("10.5"));
    assertThat(AliasTarget.canary(1, 2, new BigDecimal("1E+1"), Affinity.KEY).canaryWeight())
        .isEqualTo(new BigDecimal("10"));
  }

  @Test
  void aliasName_whenLooksLikeVersion_refuses() {
    assertThatThrownBy(() -> Alias.checkName("v2")).hasMessageContaining("look like a version");
  }
}
