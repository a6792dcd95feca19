package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  @Test
  void linesCutAcrossChunks_andMultiByteCharacters_comeOutWhole() {
    LogLines lines = new LogLines("[v2] ");
    byte[] all = "one\r\ntwo é\nthr".getBytes(StandardCharsets.UTF_8);
    // split inside "é" (two bytes) and inside "two"
    int cut = "one\r\ntwo ".getBytes(StandardCharsets.UTF_8).length + 1;
    assertThat(lines.add(java.util.Arrays.copyOfRange(all, 0, 6))).containsExactly("[v2] one");
    assertThat(lines.add(java.util.Arrays.copyOfRange(all, 6, cut))).isEmpty();
    assertThat(lines.add(java.util.Arrays.copyOfRange(all, cut, all.length)))
        .containsExactly("[v2] two é");
    assertThat(lines.flush()).containsExactly("[v2] thr");
    assertThat(lines.flush()).isEmpty();
  }
}
