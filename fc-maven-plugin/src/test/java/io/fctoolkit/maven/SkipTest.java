package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkipTest {

  @Test
  void skipMessage_isExact() {
    assertThat(AbstractFcMojo.skipMessage("deploy", "fc.deploy.skip"))
        .isEqualTo("Skipping fc:deploy because fc.deploy.skip = true");
  }

  @Test
  void skipReason_globalFirstThenPerGoal() {
    assertThat(AbstractFcMojo.skipReason(true, "build", "true")).isEqualTo("fc.skip");
    assertThat(AbstractFcMojo.skipReason(false, "build", "true")).isEqualTo("fc.build.skip");
    assertThat(AbstractFcMojo.skipReason(false, "build", "false")).isNull();
    assertThat(AbstractFcMojo.skipReason(false, "build", null)).isNull();
  }

  @Test
  void execute_withFcSkip_logsTheExactMessageAndDoesNothingElse() throws Exception {
    // Given: no project or session at all, so any work would fail
    BuildMojo mojo = new BuildMojo();
    mojo.skip = true;
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);

    // When
    mojo.execute();

    // Then
    assertThat(log.lines).containsExactly("info Skipping fc:build because fc.skip = true");
  }

  private static final class RecordingLog extends org.apache.maven.plugin.logging.SystemStreamLog {
    final java.util.List<String> lines = new java.util.ArrayList<>();

    @Override
    public void info(CharSequence content) {
      lines.add("info " + content);
    }
  }
}
