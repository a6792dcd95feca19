package io.fctoolkit.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadTimestampsTest {

  @Test
  void oldestFrom_isTheFirstNotedAtOrAfterTheOffset_acrossManyWrapsAndGrowths() {
    // Given: 10,000 records read while the committed offset trails by a varying distance, so the
    // ring wraps and grows many times
    ReadTimestamps t = new ReadTimestamps();
    long committed = 0;
    for (long offset = 0; offset < 10_000; offset++) {
      t.read(offset, 1_000_000 + offset * 3);
      if (offset % 7 == 0) {
        committed = Math.max(committed, offset - (offset % 300));
        // Then: always the timestamp of the record at the committed offset
        assertThat(t.oldestFrom(committed)).isEqualTo(1_000_000 + committed * 3);
      }
    }
    assertThat(t.oldestFrom(10_000)).isEqualTo(-1);
    assertThat(t.size()).isZero();
  }

  @Test
  void recordsWithoutATimestamp_areSkipped_andAReadFromAnEarlierOffsetReplacesTheLaterOnes() {
    ReadTimestamps t = new ReadTimestamps();
    t.read(5, 50);
    t.read(6, -1);
    t.read(7, 70);
    t.read(8, 80);
    assertThat(t.oldestFrom(6)).isEqualTo(70);

    // When: the partition is read again from offset 7 with other timestamps (a seek back)
    t.read(7, 71);

    // Then: offset 8's old note is gone until it is read again
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.oldestFrom(7)).isEqualTo(71);
    t.read(8, 81);
    assertThat(t.oldestFrom(8)).isEqualTo(81);
  }
}
