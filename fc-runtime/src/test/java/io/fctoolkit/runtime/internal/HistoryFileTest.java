package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's history saved in the state directory and read back after a restart. */
class HistoryFileTest {
  private static final List<String> INV = List.of("versions", "1", "invocationsPerSec");
  private static final List<String> LAG = List.of("triggers", "t", "partitions", "0", "lag");

  @TempDir Path dir;

  private static MetricsHistory filled(int capacity, int columns) {
    MetricsHistory h = new MetricsHistory(capacity, 100, 5000);
    for (int i = 1; i <= columns; i++) {
      h.tick(i * 1000L);
      h.put("f", INV, i);
      if (i % 2 == 0) {
        h.put("g", LAG, 10 * i);
      }
    }
    return h;
  }

  @Test
  void saveThenLoad_restoresEveryFunctionsColumnsAndTheRingsPosition() {
    MetricsHistory before = filled(5, 7); // wrapped: columns 3..7 kept
    HistoryFile file = new HistoryFile(dir);
    file.save(before);

    MetricsHistory after = new MetricsHistory(5, 100, 5000);
    assertThat(file.load(after)).isTrue();

    assertThat(after.snapshot("f", 0)).isEqualTo(before.snapshot("f", 0));
    assertThat(after.snapshot("g", 0)).isEqualTo(before.snapshot("g", 0));
    assertThat(after.snapshot("f", 0).get("times"))
        .isEqualTo(List.of(3000L, 4000L, 5000L, 6000L, 7000L));
    assertThat(after.seriesCount()).isEqualTo(2);
    // Sampling goes on after the restored columns, the oldest making room.
    after.tick(20_000);
    after.put("f", INV, 42);
    assertThat(after.snapshot("f", 0).get("times"))
        .isEqualTo(List.of(4000L, 5000L, 6000L, 7000L, 20_000L));
    assertThat(after.snapshot("f", 0).get("series").toString())
        .isEqualTo("{versions={1={invocationsPerSec=[4.0, 5.0, 6.0, 7.0, 42.0]}}}");
    assertThat(dir.resolve("history.bin.tmp")).doesNotExist();
  }

  @Test
  void load_withoutAFile_startsEmpty() {
    MetricsHistory h = new MetricsHistory(5, 100, 5000);
    assertThat(new HistoryFile(dir).load(h)).isFalse();
    assertThat(h.snapshot("f", 0).get("times")).isEqualTo(List.of());
  }

  @Test
  void load_ofAnotherIntervalOrACutFile_leavesTheHistoryEmpty() throws Exception {
    HistoryFile file = new HistoryFile(dir);
    file.save(filled(5, 3));

    MetricsHistory otherInterval = new MetricsHistory(5, 100, 1000);
    assertThat(file.load(otherInterval)).isFalse();
    assertThat(otherInterval.seriesCount()).isZero();

    byte[] whole = Files.readAllBytes(file.path());
    Files.write(file.path(), java.util.Arrays.copyOf(whole, whole.length - 9));
    MetricsHistory cut = new MetricsHistory(5, 100, 5000);
    assertThat(file.load(cut)).isFalse();
    assertThat(cut.seriesCount()).isZero();
    assertThat(cut.snapshot("f", 0)).containsEntry("times", List.of());
  }

  @Test
  void load_keepsAtMostMaxSeries_andTheFileIsBoundedByTheRings() throws Exception {
    MetricsHistory big = new MetricsHistory(720, 1024, 5000);
    big.tick(1);
    for (int i = 0; i < 1024; i++) {
      big.put("f" + (i % 20), List.of("versions", String.valueOf(i), "p95Ms"), i);
    }
    HistoryFile file = new HistoryFile(dir);
    file.save(big);
    long size = Files.size(file.path());
    assertThat(size)
        .isGreaterThan(big.maxBytes() - 720 * 8L)
        .isLessThan(big.maxBytes() + 64 * 1024);

    MetricsHistory small = new MetricsHistory(720, 10, 5000);
    assertThat(file.load(small)).isTrue();
    assertThat(small.seriesCount()).isEqualTo(10);
    Map<String, Object> any = small.snapshot("f0", 0);
    assertThat(any.get("times")).isEqualTo(List.of(1L));
  }
}
