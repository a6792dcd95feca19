package io.fctoolkit.runtime.kafka;

import java.util.List;

/** The trigger engine's Prometheus text with no trigger: every family's HELP and TYPE lines. */
public final class ExportedTriggerMetrics {
  private ExportedTriggerMetrics() {}

  public static String families() {
    StringBuilder out = new StringBuilder();
    TriggerEngine.renderMetrics(out, List.of());
    return out.toString();
  }
}
