package io.fctoolkit.maven.internal;

import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.kafka.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Which trigger {@code fc:send} uses, and how each record's outcome is printed. */
public final class SendReport {

  private SendReport() {}

  /** The named trigger of the function, or its only one. */
  public static TriggerSpec trigger(FunctionState state, String name) {
    List<TriggerSpec> triggers = state.triggers();
    String known =
        triggers.isEmpty()
            ? "it has none: declare one in gitops/functions/" + state.name() + ".yaml and deploy"
            : "it has "
                + triggers.stream().map(TriggerSpec::name).collect(Collectors.joining(", "));
    if (name == null || name.isBlank()) {
      if (triggers.size() == 1) {
        return triggers.get(0);
      }
      throw Hints.invalidRequest(
          "trigger", "", "name the trigger of " + state.name() + " to send to; " + known);
    }
    return triggers.stream()
        .filter(t -> t.name().equals(name.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                Hints.invalidRequest(
                    "trigger",
                    name,
                    "function " + state.name() + " has no such trigger; " + known));
  }

  /** The lines that report one outcome: what, where from, and the result or the reason. */
  public static List<String> lines(SendOutcome o) {
    String where =
        o.record().origin() + " (partition " + o.partition() + " offset " + o.offset() + ")";
    List<String> lines = new ArrayList<>();
    switch (o.kind()) {
      case RESULT -> {
        lines.add("[result] " + where + version(o) + " -> " + o.topic() + ":");
        lines.add("  " + text(o.value()));
      }
      case DEAD_LETTER -> {
        String reason = o.header("fc-error");
        if (reason == null) {
          reason = "Knative error code " + o.header("ce_knativeerrorcode");
        }
        lines.add("[dead letter] " + where + version(o) + " -> " + o.topic() + ": " + reason);
        String status = o.header("fc-error-status");
        String attempts = o.header("fc-attempts");
        if (status != null || attempts != null) {
          lines.add(
              "  status "
                  + (status == null ? "?" : status)
                  + ", attempts "
                  + (attempts == null ? "?" : attempts)
                  + (o.header("fc-cut") == null ? "" : ", cut form (" + o.header("fc-cut") + ")"));
        }
      }
      case DELIVERED ->
          lines.add(
              "[delivered] "
                  + where
                  + ": the trigger committed it without writing a result (an empty answer, no"
                  + " onSuccess topic, or parked: see fc:status)");
      case TIMED_OUT -> lines.add("[no outcome] " + where + ": nothing within the timeout");
    }
    return lines;
  }

  /**
   * {@code 3 record(s): 2 result(s), 1 dead letter(s), 0 delivered without result, 0 without
   * outcome}.
   */
  public static String summary(List<SendOutcome> outcomes) {
    return outcomes.size()
        + " record(s): "
        + count(outcomes, SendOutcome.Kind.RESULT)
        + " result(s), "
        + count(outcomes, SendOutcome.Kind.DEAD_LETTER)
        + " dead letter(s), "
        + count(outcomes, SendOutcome.Kind.DELIVERED)
        + " delivered without result, "
        + count(outcomes, SendOutcome.Kind.TIMED_OUT)
        + " without outcome";
  }

  private static long count(List<SendOutcome> outcomes, SendOutcome.Kind kind) {
    return outcomes.stream().filter(o -> o.kind() == kind).count();
  }

  private static String version(SendOutcome o) {
    String v = o.header("fc-version");
    return v == null || v.equals("0") ? "" : " v" + v;
  }

  private static String text(byte[] value) {
    String s = new String(value, StandardCharsets.UTF_8);
    return s.length() > 2000 ? s.substring(0, 2000) + "... (" + value.length + " bytes)" : s;
  }
}
