package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutLinesTest {

  @Test
  void rolledBack_showsChecksDecisions_andHowToWriteTheRollbackToGit() {
    Instant t = Instant.parse("2026-12-06T12:00:00Z");
    RolloutStatus s =
        new RolloutStatus(
            "grader",
            "prod",
            "2026-12-07.1",
            7,
            8,
            RolloutStatus.State.ROLLED_BACK,
            0,
            BigDecimal.ZERO,
            12,
            RolloutStrategy.defaults(),
            t,
            t,
            7,
            List.of(
                new Gate("errorRate", 1, 28.571, "%", 7, Verdict.FAIL, "x"),
                new Gate("p99", 0, null, "ms", 0, Verdict.SKIPPED, "not configured")),
            List.of(
                new Decision(t, "start", 0, BigDecimal.TEN, 0, "version 8 takes 10%"),
                new Decision(
                    t.plusSeconds(2), "rollback", 0, BigDecimal.ZERO, 7, "check errorRate failed")),
            "check errorRate failed");

    List<String> lines = RolloutLines.of(s);

    assertThat(lines.get(0))
        .isEqualTo("grader/prod: rollout of v8 (release 2026-12-07.1) from v7: ROLLED_BACK");
    assertThat(lines).contains("  check errorRate: FAIL 28.571% (limit 1%) on 7 samples");
    assertThat(lines).noneMatch(l -> l.contains("p99"));
    assertThat(lines).contains("  12:00:02 rollback -> 0% after 7 samples: check errorRate failed");
    assertThat(lines.get(lines.size() - 1)).contains("fc:rollback").contains("-Dfc.via=git");
  }
}
