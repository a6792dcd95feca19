package io.fctoolkit.core;

/**
 * Where a trigger stands on one partition.
 *
 * @param partition the partition number
 * @param committedOffset the consumer group's committed offset (next record to read)
 * @param endOffset the partition's end offset
 * @param lag records not yet committed: end minus committed
 * @param inFlight records being delivered now
 * @param delivered records delivered with a 2xx answer
 * @param retried delivery attempts that were retried
 * @param deadLettered records sent to the dead-letter topic
 * @param parked records whose outcome could be written nowhere: their offsets were passed and
 *     recorded, and the trigger's last error names the latest; null (a status from a runtime that
 *     did not count them) reads as 0
 * @param oldestPendingTimestamp the timestamp (epoch milliseconds) of the oldest record not yet
 *     committed past, once the trigger has read it; null when nothing is pending, or the record is
 *     not read yet (or a runtime did not report it). Its age says how far behind the trigger is in
 *     time, where the lag says it in records
 */
public record PartitionStatus(
    int partition,
    long committedOffset,
    long endOffset,
    long lag,
    int inFlight,
    long delivered,
    long retried,
    long deadLettered,
    Long parked,
    Long oldestPendingTimestamp) {

  public PartitionStatus {
    parked = parked == null ? 0L : parked;
  }

  /** A partition whose oldest pending record's time is not known. */
  public PartitionStatus(
      int partition,
      long committedOffset,
      long endOffset,
      long lag,
      int inFlight,
      long delivered,
      long retried,
      long deadLettered,
      Long parked) {
    this(
        partition,
        committedOffset,
        endOffset,
        lag,
        inFlight,
        delivered,
        retried,
        deadLettered,
        parked,
        null);
  }

  /** A partition with no parked records. */
  public PartitionStatus(
      int partition,
      long committedOffset,
      long endOffset,
      long lag,
      int inFlight,
      long delivered,
      long retried,
      long deadLettered) {
    this(
        partition,
        committedOffset,
        endOffset,
        lag,
        inFlight,
        delivered,
        retried,
        deadLettered,
        0L,
        null);
  }
}
