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

  @Test
  void elapsed_aBackgroundStepSaysWhatItRanDuring_andCountsOnlyTheWaitAfterIt() {
    FcContext.Step build = new FcContext.Step("build", Duration.ofMillis(410));
    FcContext.Step publish = new FcContext.Step("publish", Duration.ofMillis(980));

    // hidden by the build
    assertThat(
            DeploySummary.elapsed(
                List.of(
                    build,
                    new FcContext.Step(
                        "connect", Duration.ofMillis(260), Duration.ofMillis(1), List.of("build")),
                    publish)))
        .isEqualTo("build 0.41 s, connect 0.26 s (during build), publish 0.98 s (total 1.39 s)");
    // outlasted the build: the goal waited for the rest
    assertThat(
            DeploySummary.elapsed(
                List.of(
                    build,
                    new FcContext.Step(
                        "connect",
                        Duration.ofMillis(2600),
                        Duration.ofMillis(2150),
                        List.of("build")),
                    publish)))
        .isEqualTo(
            "build 0.41 s, connect 2.60 s (during build, then waited 2.15 s), publish 0.98 s"
                + " (total 3.54 s)");
  }
}
