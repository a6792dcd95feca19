package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogPumpTest {

  @TempDir Path dir;

  /** A stream that hands out at most {@code step} bytes per read, as a pipe does. */
  private static InputStream trickle(String text, int step) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  @Test
  void everyLine_reachesTheLog_andTheReadyLineGivesThePort() throws IOException {
    String out =
        "warming up é\r\n{\"msg\":\"ready\",\"port\":4321}\n"
            + "{\"msg\":\"request\",\"status\":200}\n".repeat(1000)
            + "last line without newline";
    for (int step : new int[] {1, 7, 100, 1 << 20}) {
      Path file = dir.resolve("log-" + step);
      CompletableFuture<Integer> ready = new CompletableFuture<>();
      Deque<String> lastLines = new ArrayDeque<>();
      try (LogSink log = new LogSink(file)) {
        LogPump.run(trickle(out, step), log, ready, lastLines);
      }
      assertThat(Files.readString(file)).as("step " + step).isEqualTo(out + "\n");
      assertThat(ready.join()).isEqualTo(4321);
      assertThat(lastLines).containsExactly("warming up é", "{\"msg\":\"ready\",\"port\":4321}");
    }
  }

  @Test
  void aLineLongerThanTheBuffer_staysOneLine() throws IOException {
    String longLine = "x".repeat(LogPump.BUFFER_BYTES * 2 + 17);
    String out = "{\"msg\":\"ready\",\"port\":1}\n" + longLine + "\nnext\n";
    Path file = dir.resolve("log");
    try (LogSink log = new LogSink(file)) {
      LogPump.run(trickle(out, 4096), log, new CompletableFuture<>(), new ArrayDeque<>());
    }
    assertThat(Files.readAllLines(file))
        .containsExactly("{\"msg\":\"ready\",\"port\":1}", longLine, "next");
  }

  @Test
  void noReadyLine_endsTheWaitWithAFailure_andKeepsTheLastLines() throws IOException {
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Deque<String> lastLines = new ArrayDeque<>();
    try (LogSink log = new LogSink(dir.resolve("log"))) {
      LogPump.run(trickle("1\n2\n3\n4\n5\n6\n7", 3), log, ready, lastLines);
    }
    assertThat(ready).isCompletedExceptionally();
    assertThat(lastLines).containsExactly("3", "4", "5", "6", "7");
  }
}
