package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.maven.internal.MavenEventLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class FcContextTest {

  @Test
  void step_showsItsRunningTimeOnATerminal_andClearsTheLineWhenItEnds() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    String result;
    try (FcContext fc =
        new FcContext(
            new MavenEventLog(
                new SystemStreamLog(), new PrintStream(console, true, StandardCharsets.UTF_8)),
            null)) {
      result = fc.step("publish", () -> "v1");
      assertThat(fc.steps()).extracting(FcContext.Step::name).containsExactly("publish");
    }
    assertThat(result).isEqualTo("v1");
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("\r\u001b[K[fc] publish 0.");
    assertThat(out).endsWith("\r\u001b[K");
  }

  @Test
  void step_inBatchMode_printsNoLiveLine() {
    try (FcContext fc = new FcContext(new MavenEventLog(new SystemStreamLog(), null), null)) {
      assertThat(fc.step("alias", () -> 42)).isEqualTo(42);
      assertThat(fc.steps()).hasSize(1);
    }
  }
}
