package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.Version;
import io.fctoolkit.maven.FcContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploySummaryTest {

  @Test
  void lines_sayWhatRunsWhereAndHowLongEachStepTook() {
    FunctionConfig config = FunctionConfig.builder("grader", "g.Grader").build();
    String digest = "sha256:" + "a".repeat(64);
    Version v3 =
        new Version(
            "grader", 3, digest, config, Version.contentId(digest, config), null, Instant.EPOCH);

    List<String> lines =
        DeploySummary.lines(
            "grader",
            new PublishResult(v3, false),
            digest,
            new Alias("grader", "dev", AliasTarget.of(3), 7, AliasTarget.of(2)),
            List.of("submissions (topic submissions -> dev) lag 12 (RUNNING)"),
            "http://127.0.0.1:8765/invoke/grader/dev",
            List.of(
                new FcContext.Step("build", Duration.ofMillis(1234)),
                new FcContext.Step("publish", Duration.ofMillis(50))));

    assertThat(lines)
        .contains(
            "function  grader",
            "version   v3 (unchanged)",
            "digest    " + digest,
            "alias     dev -> v3 (revision 7)",
            "triggers  submissions (topic submissions -> dev) lag 12 (RUNNING)",
            "invoke    POST http://127.0.0.1:8765/invoke/grader/dev  (or mvn fc:invoke)",
            "elapsed   build 1.23 s, publish 0.05 s (total 1.28 s)");
  }
}
