package io.fctoolkit.runtime.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The log file of one version: its instances' stdout lines, stderr (appended by the OS) and the
 * runtime's own lines about them. Opened in append mode so all writers interleave by line.
 */
public final class LogSink implements AutoCloseable {

  private final Path file;
  private final OutputStream out;

  public LogSink(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    this.file = file;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  public Path file() {
    return file;
  }

  public synchronized void line(String line) {
    try {
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // A full disk must not fail requests; the line is lost.
    }
  }

  /**
   * Whole lines as they came ({@code buf[off, off + len)}, each ending with a newline unless {@code
   * addNewline}), in one write.
   */
  public synchronized void bytes(byte[] buf, int off, int len, boolean addNewline) {
    try {
      if (addNewline) {
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len + 1);
        copy[len] = '\n';
        out.write(copy);
      } else {
        out.write(buf, off, len);
      }
      out.flush();
    } catch (IOException e) {
      // A full disk must not fail requests; the lines are lost.
    }
  }

  /** A line from the runtime itself, as JSON like the host's. */
  public void runtime(String level, String msg, String instance) {
    line(
        "{\"ts\":\""
            + Instant.now()
            + "\",\"level\":\""
            + level
            + "\",\"source\":\"runtime\",\"instance\":\""
            + instance
            + "\",\"msg\":"
            + quote(msg)
            + "}");
  }

  /** Bytes of the file from {@code offset} (at most {@code max}); for tailing by polling. */
  public static byte[] read(Path file, long offset, int max) throws IOException {
    if (!Files.exists(file)) {
      return new byte[0];
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long start = Math.min(Math.max(0, offset), length);
      int n = (int) Math.min(max, length - start);
      byte[] bytes = new byte[n];
      raf.seek(start);
      raf.readFully(bytes);
      return bytes;
    }
  }

  /** The last {@code lines} lines of the file, and the offset after them. */
  public static String tail(Path file, int lines) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long pos = length;
      int seen = 0;
      int chunk = 8192;
      while (pos > 0 && seen <= lines) {
        long start = Math.max(0, pos - chunk);
        byte[] buf = new byte[(int) (pos - start)];
        raf.seek(start);
        raf.readFully(buf);
        for (int i = buf.length - 1; i >= 0; i--) {
          if (buf[i] == '\n' && start + i != length - 1) {
            seen++;
            if (seen == lines) {
              pos = start + i + 1;
              byte[] rest = new byte[(int) (length - pos)];
              raf.seek(pos);
              raf.readFully(rest);
              return new String(rest, StandardCharsets.UTF_8);
            }
          }
        }
        pos = start;
      }
      byte[] all = new byte[(int) length];
      raf.seek(0);
      raf.readFully(all);
      return new String(all, StandardCharsets.UTF_8);
    }
  }

  static String quote(String s) {
    try {
      return RuntimeJson.MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      return "\"\"";
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // closing a log file cannot fail anything that matters
    }
  }
}
