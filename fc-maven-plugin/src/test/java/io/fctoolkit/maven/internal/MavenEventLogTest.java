package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FcEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class MavenEventLogTest {

  /** Maven's Log, recording lines as "level message". */
  static final class RecordingLog extends SystemStreamLog {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final boolean debug;

    RecordingLog(boolean debug) {
      this.debug = debug;
    }

    @Override
    public boolean isDebugEnabled() {
      return debug;
    }

    @Override
    public void debug(CharSequence content) {
      lines.add("debug " + content);
    }

    @Override
    public void info(CharSequence content) {
      lines.add("info " + content);
    }

    @Override
    public void warn(CharSequence content) {
      lines.add("warn " + content);
    }
  }

  @Test
  void levels_mapToMavenLevels_inOrder() {
    // Given
    RecordingLog log = new RecordingLog(true);

    // When
    try (MavenEventLog events = new MavenEventLog(log, null)) {
      events.accept(FcEvent.lifecycle("Building image"));
      events.accept(FcEvent.info("jib: layer built"));
      events.accept(FcEvent.warn("base image not pinned"));
      events.accept(FcEvent.progress("Building image", 0.5));
    }

    // Then
    assertThat(log.lines)
        .containsExactly(
            "info Building image", "debug jib: layer built", "warn base image not pinned");
  }

  @Test
  void batchMode_printsNoProgressAndNoDebugWithoutX() {
    RecordingLog log = new RecordingLog(false);

    try (MavenEventLog events = new MavenEventLog(log, null)) {
      for (int i = 0; i <= 10; i++) {
        events.accept(FcEvent.progress("Building image", i / 10.0));
      }
      events.accept(FcEvent.info("detail"));
      events.accept(FcEvent.lifecycle("Built"));
    }

    assertThat(log.lines).containsExactly("info Built");
  }

  @Test
  void interactive_drawsAFooterAndClearsItAroundLogLinesAndAtTheEnd() {
    // Given
    RecordingLog log = new RecordingLog(false);
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    // When
    try (MavenEventLog events =
        new MavenEventLog(log, new PrintStream(console, true, StandardCharsets.UTF_8))) {
      events.accept(FcEvent.progress("Building image", 0.5));
      events.accept(FcEvent.lifecycle("Pushed layer"));
    }

    // Then
    String out = console.toString(StandardCharsets.UTF_8);
    String footer = "[fc] Building image [##########..........]  50%";
    assertThat(out).isEqualTo("\r\u001b[K" + footer + "\r\u001b[K" + footer + "\r\u001b[K");
    assertThat(log.lines).containsExactly("info Pushed layer");
  }

  @Test
  void liveFooter_onlyOnAnInteractiveAnsiConsoleOutsideCi() {
    Map<String, String> terminal = Map.of("TERM", "xterm-256color");
    assertThat(MavenEventLog.liveFooter(true, true, terminal)).isTrue();
    assertThat(MavenEventLog.liveFooter(false, true, terminal)).as("-B").isFalse();
    assertThat(MavenEventLog.liveFooter(true, false, terminal)).as("no console").isFalse();
    assertThat(MavenEventLog.liveFooter(true, true, Map.of("TERM", "dumb"))).isFalse();
    assertThat(MavenEventLog.liveFooter(true, true, Map.of())).isFalse();
    assertThat(MavenEventLog.liveFooter(true, true, Map.of("TERM", "xterm", "CI", "true")))
        .isFalse();
  }

  @Test
  void render_clampsAndRounds() {
    assertThat(MavenEventLog.render("x", 1.7)).endsWith("[####################] 100%");
    assertThat(MavenEventLog.render("x", -1)).endsWith("[....................]   0%");
    assertThat(MavenEventLog.render("publish 1.2 s", Double.NaN)).isEqualTo("[fc] publish 1.2 s");
  }

  @Test
  void aStepsRunningTimeLine_neverHidesProgressTheStepReportsItself() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (MavenEventLog events =
        new MavenEventLog(
            new RecordingLog(false), new PrintStream(console, true, StandardCharsets.UTF_8))) {
      events.accept(FcEvent.progress("build 0.0 s", Double.NaN));
      events.accept(FcEvent.progress("Building image", 1.0));
      events.accept(FcEvent.progress("build 0.3 s", Double.NaN));
    }
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("[fc] build 0.0 s").contains("Building image [####");
    assertThat(out).doesNotContain("build 0.3 s");
  }
}
