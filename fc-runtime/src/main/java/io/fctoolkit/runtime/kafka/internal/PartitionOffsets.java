package io.fctoolkit.runtime.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which offsets of one partition are done, so that only the contiguous completed prefix is
 * committed while records finish out of order.
 *
 * <p>Offsets done beyond the prefix are encoded into the commit metadata ({@link #metadata()}), so
 * that after a crash or rebalance the next owner skips them instead of delivering them again:
 * without it every out-of-order completion in flight at a crash would be a duplicate. Not thread
 * safe: the trigger's consumer thread owns it.
 */
public final class PartitionOffsets {

  private static final String PREFIX = "fc1:";

  /** Commit metadata above this size is truncated (the broker's default limit is 4096). */
  static final int MAX_METADATA_CHARS = 3000;

  // offset -> done; the first entry is always pending (done head entries are pruned).
  private final TreeMap<Long, Boolean> tracked = new TreeMap<>();
  private final Set<Long> doneAhead;
  private long next;
  private long lastTracked = -1;

  /**
   * Starts at the group's committed offset.
   *
   * @param committed the next offset to read
   * @param committedMetadata the metadata stored with the committed offset, or null
   */
  public PartitionOffsets(long committed, String committedMetadata) {
    this.next = committed;
    this.doneAhead = decode(committedMetadata, committed);
  }

  /**
   * Tracks a record read from the partition. Returns false if the record was already done by an
   * earlier owner (per the commit metadata) and must not be delivered again; it then counts as
   * done.
   */
  public boolean track(long offset) {
    lastTracked = Math.max(lastTracked, offset);
    if (offset < next) {
      // Read again after a seek: already committed.
      return false;
    }
    boolean alreadyDone = doneAhead.remove(offset);
    tracked.put(offset, alreadyDone);
    // Records arrive in offset order, so offsets skipped between reads (transaction markers,
    // compacted records) do not exist and need no completion.
    prune();
    return !alreadyDone;
  }

  /** Marks a tracked record done. */
  public void complete(long offset) {
    if (tracked.containsKey(offset)) {
      tracked.put(offset, Boolean.TRUE);
      prune();
    }
  }

  private void prune() {
    while (!tracked.isEmpty() && tracked.firstEntry().getValue()) {
      next = tracked.pollFirstEntry().getKey() + 1;
    }
    if (tracked.isEmpty()) {
      next = Math.max(next, lastTracked + 1);
    } else {
      next = tracked.firstKey();
    }
  }

  /** The offset to commit: every record before it is done. */
  public long committable() {
    return next;
  }

  /** Tracked records not yet done. */
  public int pending() {
    int n = 0;
    for (boolean done : tracked.values()) {
      if (!done) {
        n++;
      }
    }
    return n;
  }

  /**
   * Commit metadata naming the offsets done beyond {@link #committable()}, or an empty string.
   * Truncated to {@link #MAX_METADATA_CHARS}; a truncated list only means more redeliveries.
   */
  public String metadata() {
    BitSet bits = new BitSet();
    for (Map.Entry<Long, Boolean> e : tracked.entrySet()) {
      long rel = e.getKey() - next;
      if (e.getValue() && rel >= 0 && rel < Integer.MAX_VALUE) {
        bits.set((int) rel);
      }
    }
    for (long offset : doneAhead) {
      long rel = offset - next;
      if (rel >= 0 && rel < Integer.MAX_VALUE) {
        bits.set((int) rel);
      }
    }
    if (bits.isEmpty()) {
      return "";
    }
    // base64 grows 4/3: keep the bit set small enough to fit.
    int maxBits = (MAX_METADATA_CHARS - 40) * 6;
    if (bits.length() > maxBits) {
      bits = bits.get(0, maxBits);
    }
    return PREFIX
        + next
        + ":"
        + new String(
            Base64.getUrlEncoder().withoutPadding().encode(bits.toByteArray()),
            StandardCharsets.US_ASCII);
  }

  /** The offsets done beyond {@code committed} named by commit metadata; empty if none or stale. */
  static Set<Long> decode(String metadata, long committed) {
    Set<Long> done = new HashSet<>();
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      return done;
    }
    int colon = metadata.indexOf(':', PREFIX.length());
    if (colon < 0) {
      return done;
    }
    try {
      long base = Long.parseLong(metadata.substring(PREFIX.length(), colon));
      if (base != committed) {
        // Someone committed without our metadata since: it no longer describes this offset.
        return done;
      }
      BitSet bits = BitSet.valueOf(Base64.getUrlDecoder().decode(metadata.substring(colon + 1)));
      for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
        done.add(base + i);
      }
    } catch (IllegalArgumentException e) {
      // Foreign or corrupt metadata: deliver everything again rather than skip wrongly.
      done.clear();
    }
    return done;
  }
}
