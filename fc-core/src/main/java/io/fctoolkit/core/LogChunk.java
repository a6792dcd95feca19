package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * A piece of a version's log, as {@link Platform#readLog} hands it out.
 *
 * @param location where the log is, e.g. the file's path on the platform's machine
 * @param data the bytes read
 * @param nextOffset where the next read continues (to follow the log)
 */
public record LogChunk(String location, byte[] data, long nextOffset) {
  public LogChunk {
    requireNonNull(location, "location");
    requireNonNull(data, "data");
  }
}
