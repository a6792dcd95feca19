package io.fctoolkit.core;

/** Which Kafka records a trigger may have in flight at the same time. */
public enum Ordering {
  /** Any record may be in flight, up to the trigger's max in flight. */
  NONE,
  /** Records with the same key are delivered in sequence; different keys in parallel. */
  KEY,
  /** One record at a time per partition, in offset order (the classic consumer). */
  PARTITION
}
