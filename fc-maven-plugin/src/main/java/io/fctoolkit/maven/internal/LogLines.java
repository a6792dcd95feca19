package io.fctoolkit.maven.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the bytes of a followed log into whole lines: a chunk may end in the middle of a line (or of
 * a UTF-8 character), which is kept until the rest arrives, so no line is printed in two pieces.
 */
public final class LogLines {

  private final String prefix;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  /**
   * @param prefix put before every line, e.g. {@code [v3] }; empty for none
   */
  public LogLines(String prefix) {
    this.prefix = prefix;
  }

  /** The whole lines completed by {@code chunk}, without their line ends. */
  public List<String> add(byte[] chunk) {
    List<String> lines = new ArrayList<>();
    for (byte b : chunk) {
      if (b == '\n') {
        byte[] line = partial.toByteArray();
        partial.reset();
        int length =
            line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        lines.add(prefix + new String(line, 0, length, StandardCharsets.UTF_8));
      } else {
        partial.write(b);
      }
    }
    return lines;
  }

  /** What is left of an unfinished last line, or nothing (at the end of a read that stops). */
  public List<String> flush() {
    if (partial.size() == 0) {
      return List.of();
    }
    String rest = prefix + partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    return List.of(rest);
  }
}
