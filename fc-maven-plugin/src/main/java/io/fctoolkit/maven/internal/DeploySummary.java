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
    StringBuilder timing = new StringBuilder();
    long total = 0;
    for (FcContext.Step step : steps) {
      if (timing.length() > 0) {
        timing.append(", ");
      }
      timing.append(step.name()).append(' ').append(seconds(step.elapsed().toMillis()));
      total += step.elapsed().toMillis();
    }
    lines.add(row("elapsed", timing + " (total " + seconds(total) + ")"));
    lines.add("------------------------------------------------------------------------");
    return lines;
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static String row(String name, String value) {
    return String.format(Locale.ROOT, "%-9s %s", name, value);
  }
}
