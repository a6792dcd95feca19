package io.fctoolkit.runtime.kafka;

/**
 * The timestamps of one partition's records read and not yet committed past, in offset order, so
 * that the first one is the partition's oldest unprocessed record (the lag the dashboard shows).
 *
 * <p>A ring of two primitive arrays rather than a {@code TreeMap<Long, Long>}: a partition is read
 * in offset order, so appending and dropping from the front are enough, and the consumer thread
 * does it once per record. The tree (boxing two longs and rebalancing per record) cost the trigger
 * about a sixth of its own CPU with a no-op function ({@code bench/kafka/RESULTS.md}). Consumer
 * thread only.
 */
final class ReadTimestamps {
  private long[] offsets = new long[64];
  private long[] timestamps = new long[64];
  private int head;
  private int size;

  /**
   * Notes the timestamp of the record read at this offset; a record without one (-1) is not noted.
   * Reading an offset at or before the last one noted (the partition was read again from an earlier
   * offset) forgets the later ones first, so the ring stays in offset order.
   */
  void read(long offset, long timestamp) {
    if (timestamp < 0) {
      return;
    }
    while (size > 0 && offsetAt(size - 1) >= offset) {
      size--;
    }
    if (size == offsets.length) {
      grow();
    }
    int slot = (head + size) % offsets.length;
    offsets[slot] = offset;
    timestamps[slot] = timestamp;
    size++;
  }

  /**
   * The timestamp of the first record noted at or after this offset, or -1 when there is none;
   * forgets the ones before it.
   */
  long oldestFrom(long committed) {
    while (size > 0 && offsets[head] < committed) {
      head = (head + 1) % offsets.length;
      size--;
    }
    return size == 0 ? -1 : timestamps[head];
  }

  int size() {
    return size;
  }

  private long offsetAt(int index) {
    return offsets[(head + index) % offsets.length];
  }

  private void grow() {
    int capacity = offsets.length * 2;
    long[] newOffsets = new long[capacity];
    long[] newTimestamps = new long[capacity];
    for (int i = 0; i < size; i++) {
      int slot = (head + i) % offsets.length;
      newOffsets[i] = offsets[slot];
      newTimestamps[i] = timestamps[slot];
    }
    offsets = newOffsets;
    timestamps = newTimestamps;
    head = 0;
  }
}
