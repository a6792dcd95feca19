package io.fctoolkit.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

  @Test
  void committable_isTheContiguousCompletedPrefix() {
    // Given
    PartitionOffsets offsets = new PartitionOffsets(10, null);
    for (long o = 10; o < 15; o++) {
      assertThat(offsets.track(o)).isTrue();
    }
    // When
    offsets.complete(11);
    offsets.complete(13);
    // Then
    assertThat(offsets.committable()).isEqualTo(10);
    offsets.complete(10);
    assertThat(offsets.committable()).isEqualTo(12);
    offsets.complete(12);
    assertThat(offsets.committable()).isEqualTo(14);
    offsets.complete(14);
    assertThat(offsets.committable()).isEqualTo(15);
    assertThat(offsets.pending()).isZero();
  }

  @Test
  void committable_skipsOffsetGapsSuchAsTransactionMarkers() {
    PartitionOffsets offsets = new PartitionOffsets(0, null);
    offsets.track(3);
    offsets.track(7);
    assertThat(offsets.committable()).isEqualTo(3);
    offsets.complete(7);
    assertThat(offsets.committable()).isEqualTo(3);
    offsets.complete(3);
    assertThat(offsets.committable()).isEqualTo(8);
  }

  @Test
  void metadata_namesDoneOffsetsBeyondThePrefix_andANewOwnerSkipsThem() {
    // Given: 100..109 read, 100 still running, the rest done out of order
    PartitionOffsets first = new PartitionOffsets(100, null);
    for (long o = 100; o < 110; o++) {
      first.track(o);
    }
    for (long o = 101; o < 110; o += 2) {
      first.complete(o);
    }
    String metadata = first.metadata();
    assertThat(first.committable()).isEqualTo(100);
    assertThat(metadata).startsWith("fc1:100:");

    // When: the next owner starts from the commit
    PartitionOffsets next = new PartitionOffsets(100, metadata);
    List<Long> delivered = new ArrayList<>();
    for (long o = 100; o < 110; o++) {
      if (next.track(o)) {
        delivered.add(o);
      }
    }

    // Then: only the records not done before are delivered again
    assertThat(delivered).containsExactly(100L, 102L, 104L, 106L, 108L);
    delivered.forEach(next::complete);
    assertThat(next.committable()).isEqualTo(110);
    assertThat(next.metadata()).isEmpty();
  }

  @Test
  void metadata_isIgnoredWhenItDescribesAnotherOffset() {
    PartitionOffsets first = new PartitionOffsets(0, null);
    first.track(0);
    first.track(1);
    first.complete(1);
    String metadata = first.metadata();
    PartitionOffsets moved = new PartitionOffsets(5, metadata);
    assertThat(moved.track(5)).isTrue();
    assertThat(PartitionOffsets.decode("garbage", 0)).isEmpty();
    assertThat(PartitionOffsets.decode("fc1:0:***", 0)).isEmpty();
  }

  @Test
  void metadata_staysWithinTheBrokerLimit() {
    PartitionOffsets offsets = new PartitionOffsets(0, null);
    for (long o = 0; o < 100_000; o++) {
      offsets.track(o);
    }
    for (long o = 1; o < 100_000; o++) {
      offsets.complete(o);
    }
    assertThat(offsets.metadata().length())
        .isLessThanOrEqualTo(PartitionOffsets.MAX_METADATA_CHARS);
    assertThat(offsets.committable()).isZero();
  }

  @Test
  void randomCompletionOrder_neverCommitsAnUnfinishedRecord() {
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      PartitionOffsets offsets = new PartitionOffsets(0, null);
      List<Long> order = new ArrayList<>();
      for (long o = 0; o < 200; o++) {
        offsets.track(o);
        order.add(o);
      }
      Collections.shuffle(order, random);
      boolean[] done = new boolean[200];
      for (long o : order) {
        offsets.complete(o);
        done[(int) o] = true;
        long c = offsets.committable();
        for (int i = 0; i < c; i++) {
          assertThat(done[i]).as("offset %d committed before it was done", i).isTrue();
        }
        assertThat(c == 200 || !done[(int) c]).isTrue();
      }
      assertThat(offsets.committable()).isEqualTo(200);
    }
  }
}
