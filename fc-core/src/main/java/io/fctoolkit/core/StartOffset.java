package io.fctoolkit.core;

/** Where a trigger whose consumer group has no committed offset starts reading. */
public enum StartOffset {
  EARLIEST,
  LATEST
}
