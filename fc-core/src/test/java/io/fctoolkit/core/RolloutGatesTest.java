package io.fctoolkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RolloutGatesTest {

  @Test
  void theFiveFieldConstructor_keepsTheNewChecksOff() {
    RolloutGates g =
        new RolloutGates(BigDecimal.ONE, Duration.ofMillis(500), null, BigDecimal.ONE, null);
    assertThat(g.maxP95()).isNull();
    assertThat(g.maxP95Ratio()).isNull();
    assertThat(g.maxErrorRateExcess()).isNull();
    assertThat(g.maxDeadLetterRateExcess()).isNull();
    assertThat(g.maxRetryRateExcess()).isNull();
  }

  @Test
  void describe_namesEachCheckSet_inTheOrderTheRuntimeMakesThem() {
    RolloutGates g =
        RolloutGates.DEFAULT.toBuilder()
            .maxErrorRateExcess(new BigDecimal("0.50"))
            .maxP95Ratio(new BigDecimal("1.5"))
            .maxP99(Duration.ofMillis(800))
            .build();
    assertThat(g.describe())
        .isEqualTo(
            "errors <= 1%, errors <= the primary's + 0.5 percentage points, p95 <= 1.5x the"
                + " primary's, p99 <= 800 ms, dead letters <= 1%, retries <= 10%");
    assertThat(RolloutGates.builder().build().describe()).isEqualTo("no checks");
  }

  @Test
  void outOfRangeValues_areRefusedWithTheirName() {
    assertThatThrownBy(() -> RolloutGates.builder().maxP95Ratio(new BigDecimal("0.9")).build())
        .hasMessageContaining("maxP95Ratio");
    assertThatThrownBy(
            () -> RolloutGates.builder().maxRetryRateExcess(BigDecimal.valueOf(101)).build())
        .hasMessageContaining("maxRetryRateExcess");
    assertThatThrownBy(() -> RolloutGates.builder().maxP95(Duration.ZERO).build())
        .hasMessageContaining("maxP95");
  }

  @Test
  void samplesFor_aQuantile_leaveTwentyBeyondIt() {
    assertThat(RolloutGates.samplesFor(0.95, 100)).isEqualTo(400);
    assertThat(RolloutGates.samplesFor(0.99, 100)).isEqualTo(2000);
    assertThat(RolloutGates.samplesFor(0.95, 1000)).isEqualTo(1000);
  }
}
