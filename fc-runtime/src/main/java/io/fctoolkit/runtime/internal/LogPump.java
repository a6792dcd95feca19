package io.fctoolkit.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * Copies an instance's stdout into its version's log, and spots its {@code ready} line.
 *
 * <p>Why bytes and not lines: a host logs a line per request, and decoding each one into a String
 * and encoding it back cost the runtime about 0.1 ms of CPU per request in a 2,000-request burst
 * (docs/performance.md, "Scale-out"). Only the lines before {@code ready} are decoded (to find it
 * and to quote the last ones when a start fails); after it, each read's whole lines go to the log
 * in one write, so lines from other writers still interleave only between lines.
 */
final class LogPump {

  /** Read size; a line longer than this reaches the log in pieces. */
  static final int BUFFER_BYTES = 16 << 10;

  /** Lines kept before ready, to say why a start failed. */
  static final int LAST_LINES = 5;

  private LogPump() {}

  /**
   * Pumps {@code in} until it ends, then closes it.
   *
   * @param ready completed with the port of the first ready line, or exceptionally when the stream
   *     ends before one
   * @param lastLines the last {@link #LAST_LINES} lines before ready (guarded by itself)
   */
  static void run(
      InputStream in, LogSink log, CompletableFuture<Integer> ready, Deque<String> lastLines) {
    byte[] buf = new byte[BUFFER_BYTES];
    int filled = 0;
    try (in) {
      int n;
      while ((n = in.read(buf, filled, buf.length - filled)) > 0) {
        filled += n;
        int end = lastNewline(buf, filled) + 1;
        if (end == 0) {
          if (filled < buf.length) {
            continue;
          }
          end = filled; // a line longer than the buffer: this piece goes on, the rest follows
        }
        if (!ready.isDone()) {
          lines(buf, end, ready, lastLines);
        }
        log.bytes(buf, 0, end, false);
        System.arraycopy(buf, end, buf, 0, filled - end);
        filled -= end;
      }
      if (filled > 0) {
        // the last line, without its newline
        if (!ready.isDone()) {
          lines(buf, filled, ready, lastLines);
        }
        log.bytes(buf, 0, filled, true);
      }
    } catch (IOException e) {
      // The process went away; the exit is handled by whoever waits for it.
    }
    ready.completeExceptionally(new IOException("stdout closed before ready"));
  }

  private static int lastNewline(byte[] buf, int len) {
    for (int i = len - 1; i >= 0; i--) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Looks at the lines of {@code buf[0, end)} until one is the ready line. */
  private static void lines(
      byte[] buf, int end, CompletableFuture<Integer> ready, Deque<String> lastLines) {
    int start = 0;
    while (start < end && !ready.isDone()) {
      int stop = start;
      while (stop < end && buf[stop] != '\n') {
        stop++;
      }
      int len = stop - start;
      if (len > 0 && buf[start + len - 1] == '\r') {
        len--;
      }
      String line = new String(buf, start, len, StandardCharsets.UTF_8);
      synchronized (lastLines) {
        lastLines.addLast(line);
        if (lastLines.size() > LAST_LINES) {
          lastLines.removeFirst();
        }
      }
      Integer port = Instance.readyPort(line);
      if (port != null) {
        ready.complete(port);
      }
      start = stop + 1;
    }
  }
}
