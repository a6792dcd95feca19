package io.fctoolkit.host.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the event functions write what they received, one file per event id, in the folder named by
 * the {@code CONFORMANCE_OUT} environment variable (each server gets its own folder).
 */
final class Recorder {
  private Recorder() {}

  static void record(String id, String description) throws IOException {
    Path folder = Path.of(System.getenv("CONFORMANCE_OUT"));
    Files.writeString(
        folder.resolve(id.replaceAll("[^A-Za-z0-9_-]", "_") + ".txt"),
        description,
        StandardCharsets.UTF_8);
  }

  /** Throws as the event's type or id asks: {@code fail} (state) or {@code argument}. */
  static void failIfAsked(String marker) {
    if (marker == null) {
      return;
    }
    if (marker.contains("fail")) {
      throw new IllegalStateException("the function failed on purpose");
    }
    if (marker.contains("argument")) {
      throw new IllegalArgumentException("the function refused its argument");
    }
  }
}
