package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.Version;
import io.fctoolkit.core.VersionMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  private static Version version(int number) {
    FunctionConfig config = FunctionConfig.builder("grader", "g.Grader").build();
    String digest = "sha256:" + Integer.toString(number).repeat(64);
    return new Version(
        "grader", number, digest, config, Version.contentId(digest, config), null, Instant.EPOCH);
  }

  @Test
  void standby_showsTheHeadroomAndItsMemory_onlyForRoutedVersions() {
    FunctionConfig two =
        FunctionConfig.builder("grader", "g.Grader")
            .resources(new Resources(256, 10, Duration.ofSeconds(30)))
            .scaling(new Scaling(0, 10, Duration.ofMinutes(5), 2))
            .build();
    Version v = new Version("grader", 3, "sha256:" + "3".repeat(64), two, "c", null, Instant.EPOCH);

    assertThat(StatusTable.standby(v, true)).isEqualTo("2 x 256 MiB = 512 MiB");
    assertThat(StatusTable.standby(v, false)).isEqualTo("-");
    Version off =
        new Version(
            "grader",
            4,
            "sha256:" + "4".repeat(64),
            two.toBuilder().scaling(Scaling.DEFAULT.withStandby(0)).build(),
            "c",
            null,
            Instant.EPOCH);
    assertThat(StatusTable.standby(off, true)).isEqualTo("off");
  }

  @Test
  void lines_joinVersionsAliasesFiguresAndTriggerLag() {
    // Given: prod is v1 with a 10% canary on v2, dev is v2
    FunctionState state =
        new FunctionState(
            "grader",
            List.of(version(1), version(2)),
            List.of(
                new Alias(
                    "grader",
                    "prod",
                    AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY),
                    4,
                    null),
                new Alias("grader", "dev", AliasTarget.of(2), 2, null)),
            List.of());
    FunctionMetrics metrics =
        new FunctionMetrics(
            "grader",
            List.of(
                new VersionMetrics(1, 900, 3, 12.5, 40.0, 80.0, 2, 150.0, 2, 1, 0),
                new VersionMetrics(2, 100, 0, 10.0, 30.0, 60.0, 1, 140.0, 1, 0, 0)),
            List.of(
                new TriggerStatus(
                    "submissions",
                    "RUNNING",
                    null,
                    List.of(
                        new PartitionStatus(0, 40, 42, 2, 1, 40, 1, 0),
                        new PartitionStatus(1, 10, 10, 0, 0, 10, 0, 0)))));

    // When
    List<String> lines = StatusTable.lines(state, metrics);

    // Then
    assertThat(lines.get(0)).startsWith("VERSION").contains("ALIASES", "P95 ms", "ERRORS");
    assertThat(lines.get(1))
        .startsWith("v2")
        .contains("prod (10%), dev")
        .matches(".*\\b1 +100 +0 +10\\.0 +30\\.0 +1 .*");
    assertThat(lines.get(2)).startsWith("v1").contains("prod (90%)").contains("900");
    // the default standby of a routed version, with the memory it holds
    assertThat(lines.get(0)).contains("STANDBY");
    assertThat(lines.get(1)).contains(" 1 x 512 MiB ");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("TRIGGER").contains("LAG"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("submissions +RUNNING +0 +2 +1 +40 +1 +0"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).matches("submissions +RUNNING +1 +0 +0 +10 +0 +0"));
  }
}
