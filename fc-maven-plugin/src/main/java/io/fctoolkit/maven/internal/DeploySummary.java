package io.fctoolkit.maven.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.maven.FcContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines fc:deploy ends with: what runs where now, and how long each step took. */
public final class DeploySummary {

  private DeploySummary() {}

  public static List<String> lines(
      String function,
      PublishResult published,
      String digest,
      Alias alias,
      List<String> triggers,
      String invokeUrl,
      List<FcContext.Step> steps) {
    List<String> lines = new ArrayList<>();
    lines.add("------------------------------------------------------------------------");
    lines.add(row("function", function));
    lines.add(
        row(
            "version",
            "v"
                + published.version().number()
                + (published.created() ? " (new)" : " (unchanged)")));
    lines.add(row("digest", digest));
    lines.add(
        row(
            "alias",
            alias.name() + " -> " + alias.target() + " (revision " + alias.revision() + ")"));
    lines.add(row("triggers", triggers.isEmpty() ? "none" : String.join(", ", triggers)));
    if (invokeUrl != null) {
      lines.add(row("invoke", "POST " + invokeUrl + "  (or mvn fc:invoke)"));
    }
    lines.add(row("elapsed", elapsed(steps)));
    lines.add("------------------------------------------------------------------------");
    return lines;
  }

  /**
   * {@code build 0.41 s, connect 0.26 s (during build), publish 0.98 s (total 1.39 s)}: each step's
   * own time; a step that ran in the background says which steps it ran during and how long the
   * goal still waited for it afterwards, and only that wait counts towards the total, so that the
   * total is the time the steps kept the goal busy.
   */
  static String elapsed(List<FcContext.Step> steps) {
    StringBuilder timing = new StringBuilder();
    long total = 0;
    for (FcContext.Step step : steps) {
      if (timing.length() > 0) {
        timing.append(", ");
      }
      timing.append(step.name()).append(' ').append(seconds(step.elapsed().toMillis()));
      if (!step.during().isEmpty()) {
        timing.append(" (during ").append(String.join(", ", step.during()));
        long waited = step.waited().toMillis();
        if (waited >= 5) {
          timing.append(", then waited ").append(seconds(waited));
        }
        timing.append(')');
      }
      total += step.waited().toMillis();
    }
    return timing + " (total " + seconds(total) + ")";
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static String row(String name, String value) {
    return String.format(Locale.ROOT, "%-9s %s", name, value);
  }
}
