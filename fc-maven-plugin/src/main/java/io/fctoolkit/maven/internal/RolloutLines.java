package io.fctoolkit.maven.internal;

import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.Gate;
import io.fctoolkit.core.RolloutStatus.Verdict;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** What {@code fc:rollout} prints for a rollout: state, step, each check, the decisions. */
public final class RolloutLines {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private RolloutLines() {}

  public static List<String> of(RolloutStatus s) {
    List<String> lines = new ArrayList<>();
    lines.add(
        s.function()
            + "/"
            + s.alias()
            + ": rollout of v"
            + s.canaryVersion()
            + (s.release() == null ? "" : " (release " + s.release() + ")")
            + " from v"
            + s.primaryVersion()
            + ": "
            + s.state());
    int steps = s.strategy().steps().size();
    lines.add(
        "  step "
            + (s.step() + 1)
            + " of "
            + steps
            + " ("
            + String.join(
                ", ", s.strategy().steps().stream().map(w -> w.toPlainString() + "%").toList())
            + ", then 100%), canary at "
            + s.weight().toPlainString()
            + "%"
            + (!s.state().finished()
                ? ", "
                    + s.samples()
                    + " canary samples in this step (judged at "
                    + s.strategy().minSamples()
                    + ")"
                : ""));
    for (Gate g : s.gates()) {
      if (g.verdict() == Verdict.SKIPPED) {
        continue;
      }
      lines.add(
          "  check "
              + g.name()
              + ": "
              + g.verdict()
              + (g.value() == null ? "" : " " + number(g.value()) + g.unit())
              + " (limit "
              + number(g.threshold())
              + g.unit()
              + ") on "
              + g.samples()
              + " samples");
    }
    for (Decision d : s.history()) {
      lines.add(
          "  "
              + TIME.format(d.at())
              + " "
              + d.action()
              + " -> "
              + d.weight().toPlainString()
              + "% after "
              + d.samples()
              + " samples: "
              + d.reason());
    }
    if (s.state() == RolloutStatus.State.ROLLED_BACK || s.state() == RolloutStatus.State.ABORTED) {
      lines.add(
          "  If Git names this release for the alias, write the rollback there too:"
              + " mvn fc:rollback -Dfc.env=<env> -Dfc.alias="
              + s.alias()
              + " -Dfc.via=git (until then fc:plan reports it as drift and does not apply it"
              + " again)");
    }
    return lines;
  }

  private static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
