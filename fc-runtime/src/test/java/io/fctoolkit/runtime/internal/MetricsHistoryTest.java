package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {

  private static final List<String> INV = List.of("versions", "1", "invocationsPerSec");
  private static final List<String> LAG = List.of("triggers", "t", "partitions", "0", "lag");

  @Test
  void snapshot_nestsSeriesByPath_withNullWhereASeriesHadNoValue() {
    MetricsHistory h = new MetricsHistory(10, 100, 5000);
    h.tick(1000);
    h.put("f", INV, 2.5);
    h.tick(2000);
    h.put("f", LAG, 7);
    h.tick(3000);
    h.put("f", INV, 1);
    h.put("f", LAG, Double.NaN);

    Map<String, Object> s = h.snapshot("f", 0);

    assertThat(s.get("times")).isEqualTo(List.of(1000L, 2000L, 3000L));
    assertThat(s.get("intervalMs")).isEqualTo(5000L);
    assertThat(s.get("series").toString())
        .isEqualTo(
            "{triggers={t={partitions={0={lag=[null, 7.0, null]}}}},"
                + " versions={1={invocationsPerSec=[2.5, null, 1.0]}}}");
    // since: only later columns
    assertThat(h.snapshot("f", 2000).get("times")).isEqualTo(List.of(3000L));
    assertThat(h.snapshot("other", 0).get("series")).isEqualTo(Map.of());
  }

  @Test
  void ring_keepsTheLastCapacityColumns() {
    MetricsHistory h = new MetricsHistory(4, 100, 1000);
    for (int i = 1; i <= 10; i++) {
      h.tick(i * 1000L);
      h.put("f", INV, i);
    }
    Map<String, Object> s = h.snapshot("f", 0);
    assertThat(s.get("times")).isEqualTo(List.of(7000L, 8000L, 9000L, 10000L));
    assertThat(s.get("series").toString()).contains("invocationsPerSec=[7.0, 8.0, 9.0, 10.0]");
  }

  @Test
  void seriesBeyondTheCap_areRefused_andASilentSeriesIsDroppedAfterAWholeRing() {
    MetricsHistory h = new MetricsHistory(3, 2, 1000);
    h.tick(1);
    h.put("f", List.of("versions", "1", "a"), 1);
    h.put("f", List.of("versions", "1", "b"), 1);
    h.put("f", List.of("versions", "1", "c"), 1);
    assertThat(h.seriesCount()).isEqualTo(2);
    assertThat(h.refused()).isEqualTo(1);

    // "b" goes silent; after a whole ring without a value it is dropped and its room reused
    for (int i = 2; i <= 4; i++) {
      h.tick(i);
      h.put("f", List.of("versions", "1", "a"), i);
    }
    assertThat(h.seriesCount()).isEqualTo(1);
    h.put("f", List.of("versions", "1", "c"), 9);
    assertThat(h.seriesCount()).isEqualTo(2);
  }

  @Test
  void maxBytes_isTheRingsAtTheCap() {
    MetricsHistory h =
        new MetricsHistory(
            MetricsHistory.DEFAULT_CAPACITY, MetricsHistory.DEFAULT_MAX_SERIES, 5000);
    // 1,024 series x 720 doubles + the time ring: what docs/dashboard.md quotes
    assertThat(h.maxBytes()).isEqualTo(1024L * 720 * 8 + 720 * 8);
    assertThat(h.maxBytes()).isLessThan(6L << 20);
  }

  @Test
  void histogramDifference_givesTheIntervalsQuantiles() {
    Histogram hist = new Histogram();
    for (int i = 0; i < 1000; i++) {
      hist.record(1000); // an old slow period
    }
    long[] before = hist.snapshot();
    for (int i = 0; i < 100; i++) {
      hist.record(10);
    }
    long[] after = hist.snapshot();
    long[] delta = new long[after.length];
    Arrays.setAll(delta, i -> after[i] - before[i]);

    assertThat(Histogram.quantile(delta, 0.99)).isBetween(8.0, 12.0);
    assertThat(hist.quantile(0.5)).isGreaterThan(800); // since start, the old period dominates
  }
}
