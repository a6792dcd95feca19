package io.fctoolkit.core.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link Plan} as plain text, Markdown (a pull-request comment) or JSON. */
public final class PlanRenderer {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanRenderer() {}

  public static String text(Plan plan) {
    StringBuilder out = new StringBuilder();
    out.append("Plan for environment ")
        .append(plan.environment())
        .append(" (")
        .append(plan.target())
        .append(")\n");
    for (Plan.Publish p : plan.publishes()) {
      out.append("  + publish  ")
          .append(p.function())
          .append(" release ")
          .append(p.release().id())
          .append("  ")
          .append(p.release().image())
          .append('\n');
    }
    for (Plan.AliasChange a : plan.aliases()) {
      out.append("  ")
          .append(symbol(a.kind()))
          .append(" alias    ")
          .append(a.function())
          .append('/')
          .append(a.alias())
          .append("  ")
          .append(a.describe())
          .append(a.fromDrift() ? "  [undoes drift]" : "")
          .append('\n');
    }
    for (Plan.TriggerChange t : plan.triggers()) {
      out.append("  ")
          .append(symbol(t.kind()))
          .append(" trigger  ")
          .append(t.function())
          .append('/')
          .append(t.trigger())
          .append("  ")
          .append(triggerDetail(t))
          .append(t.fromDrift() ? "  [undoes drift]" : "")
          .append('\n');
      if (t.resetsOffsets()) {
        out.append("      !! ").append(resetWarning(t)).append('\n');
      }
    }
    for (Plan.Drift d : plan.drift()) {
      out.append("  ! drift    ")
          .append(d.function())
          .append(' ')
          .append(d.kind())
          .append(' ')
          .append(d.name())
          .append(": ")
          .append(d.description())
          .append(" -> ")
          .append(d.action())
          .append('\n');
    }
    for (String w : plan.warnings()) {
      out.append("  warning: ").append(w).append('\n');
    }
    for (String e : plan.errors()) {
      out.append("  error: ").append(e).append('\n');
    }
    out.append(summary(plan)).append('\n');
    return out.toString();
  }

  public static String markdown(Plan plan) {
    StringBuilder out = new StringBuilder();
    // A stable marker lets a pipeline find and update its previous comment instead of adding one.
    out.append("<!-- fc-toolkit-plan:").append(plan.environment()).append(" -->\n");
    out.append("### fc-toolkit plan for `")
        .append(plan.environment())
        .append("`\n\n")
        .append("Target: `")
        .append(plan.target())
        .append("` · drift policy: `")
        .append(plan.driftPolicy().name().toLowerCase(Locale.ROOT))
        .append("`\n\n");
    if (plan.refusal() != null) {
      out.append("> [!CAUTION]\n> Apply will refuse this plan: ")
          .append(escape(plan.refusal()))
          .append("\n\n");
    }
    if (plan.hasChanges()) {
      out.append("| | what | change |\n|---|---|---|\n");
      for (Plan.Publish p : plan.publishes()) {
        out.append("| ➕ publish | `")
            .append(p.function())
            .append("` release `")
            .append(p.release().id())
            .append("` | `")
            .append(p.release().image())
            .append("` |\n");
      }
      for (Plan.AliasChange a : plan.aliases()) {
        out.append("| ")
            .append(emoji(a.kind()))
            .append(" alias | `")
            .append(a.function())
            .append('/')
            .append(a.alias())
            .append("` | ")
            .append(escape(a.describe()))
            .append(a.fromDrift() ? " (undoes drift)" : "")
            .append(" |\n");
      }
      for (Plan.TriggerChange t : plan.triggers()) {
        out.append("| ")
            .append(emoji(t.kind()))
            .append(" trigger | `")
            .append(t.function())
            .append('/')
            .append(t.trigger())
            .append("` | ")
            .append(escape(triggerDetail(t)))
            .append(t.resetsOffsets() ? " **⚠️ resets consumer offsets**" : "")
            .append(t.fromDrift() ? " (undoes drift)" : "")
            .append(" |\n");
      }
      out.append('\n');
      for (Plan.TriggerChange t : plan.triggers()) {
        if (t.resetsOffsets()) {
          out.append("> [!WARNING]\n> ").append(escape(resetWarning(t))).append("\n\n");
        }
      }
    }
    if (!plan.drift().isEmpty()) {
      out.append("**Drift** (live state changed outside Git):\n\n");
      for (Plan.Drift d : plan.drift()) {
        out.append("- `")
            .append(d.function())
            .append("` ")
            .append(d.kind())
            .append(" `")
            .append(d.name())
            .append("`: ")
            .append(escape(d.description()))
            .append(" → ")
            .append(escape(d.action()))
            .append('\n');
      }
      out.append('\n');
    }
    if (!plan.warnings().isEmpty()) {
      out.append("**Warnings**:\n\n");
      plan.warnings().forEach(w -> out.append("- ").append(escape(w)).append('\n'));
      out.append('\n');
    }
    if (!plan.errors().isEmpty()) {
      out.append("**Errors**:\n\n");
      plan.errors().forEach(e -> out.append("- ").append(escape(e)).append('\n'));
      out.append('\n');
    }
    out.append(summary(plan)).append('\n');
    return out.toString();
  }

  public static String json(Plan plan) {
    ObjectNode root = JSON.createObjectNode();
    root.put("environment", plan.environment());
    root.put("target", plan.target());
    root.put("driftPolicy", plan.driftPolicy().name().toLowerCase(Locale.ROOT));
    root.put("hasChanges", plan.hasChanges());
    root.put("changes", plan.changeCount());
    if (plan.refusal() == null) {
      root.putNull("refusal");
    } else {
      root.put("refusal", plan.refusal());
    }
    ArrayNode publishes = root.putArray("publishes");
    for (Plan.Publish p : plan.publishes()) {
      ObjectNode n = publishes.addObject();
      n.put("function", p.function());
      n.put("release", p.release().id());
      n.put("image", p.release().image().toString());
      n.put("contentId", p.contentId());
    }
    ArrayNode aliases = root.putArray("aliases");
    for (Plan.AliasChange a : plan.aliases()) {
      ObjectNode n = aliases.addObject();
      n.put("function", a.function());
      n.put("alias", a.alias());
      n.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
      n.put("from", a.from());
      if (a.to() == null) {
        n.putNull("to");
      } else {
        ObjectNode to = n.putObject("to");
        to.put("release", a.to().release());
        to.put("canaryRelease", a.to().canaryRelease());
        to.put("weight", a.weight());
        to.put("affinity", a.to().affinity().name().toLowerCase(Locale.ROOT));
        if (a.to().rollout() != null) {
          // The platform moves the alias through these canary weights, then to 100%.
          ArrayNode steps = to.putArray("rolloutSteps");
          a.to().rollout().steps().forEach(steps::add);
          // the checks each step must pass, in words (RolloutGates.describe)
          to.put("rolloutChecks", a.to().rollout().gates().describe());
        }
      }
      n.put("expectedRevision", a.expectedRevision());
      n.put("fromDrift", a.fromDrift());
    }
    ArrayNode triggers = root.putArray("triggers");
    for (Plan.TriggerChange t : plan.triggers()) {
      ObjectNode n = triggers.addObject();
      n.put("function", t.function());
      n.put("trigger", t.trigger());
      n.put("kind", t.kind().name().toLowerCase(Locale.ROOT));
      ArrayNode fields = n.putArray("changedFields");
      t.changedFields().forEach(fields::add);
      n.put("resetsOffsets", t.resetsOffsets());
      n.put("fromDrift", t.fromDrift());
      TriggerSpec spec = t.desired() != null ? t.desired() : t.live();
      n.put("topic", spec.topic());
      n.put("alias", spec.alias());
      n.put("consumerGroup", spec.consumerGroup());
    }
    ArrayNode drift = root.putArray("drift");
    for (Plan.Drift d : plan.drift()) {
      ObjectNode n = drift.addObject();
      n.put("function", d.function());
      n.put("kind", d.kind());
      n.put("name", d.name());
      n.put("description", d.description());
      n.put("action", d.action());
    }
    ArrayNode warnings = root.putArray("warnings");
    plan.warnings().forEach(warnings::add);
    ArrayNode errors = root.putArray("errors");
    plan.errors().forEach(errors::add);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render plan as JSON", e);
    }
  }

  private static String summary(Plan plan) {
    String changes =
        plan.hasChanges()
            ? plan.changeCount() + (plan.changeCount() == 1 ? " change" : " changes")
            : "No changes: the platform matches Git";
    List<String> parts = new ArrayList<>();
    parts.add(changes);
    if (!plan.drift().isEmpty()) {
      parts.add(plan.drift().size() + " drift");
    }
    if (!plan.errors().isEmpty()) {
      parts.add(plan.errors().size() + " error(s)");
    }
    String refusal = plan.refusal() == null ? "" : " Apply would refuse: " + plan.refusal() + ".";
    return String.join(", ", parts) + "." + refusal;
  }

  private static String triggerDetail(Plan.TriggerChange t) {
    return switch (t.kind()) {
      case CREATE ->
          "topic "
              + t.desired().topic()
              + " -> alias "
              + t.desired().alias()
              + " (group "
              + t.desired().consumerGroup()
              + ")";
      case DELETE ->
          "topic "
              + t.live().topic()
              + " -> alias "
              + t.live().alias()
              + " (group "
              + t.live().consumerGroup()
              + " keeps its offsets in the broker)";
      case UPDATE -> updateDetail(t);
    };
  }

  private static String updateDetail(Plan.TriggerChange t) {
    List<String> parts = new ArrayList<>();
    for (String field : t.changedFields()) {
      parts.add(field + " " + value(t.live(), field) + " -> " + value(t.desired(), field));
    }
    return String.join(", ", parts);
  }

  private static String value(TriggerSpec spec, String field) {
    Map<String, Object> fields = spec.fields();
    if (!fields.containsKey(field)) {
      return "?";
    }
    Object value = fields.get(field);
    return value == null ? "(none)" : String.valueOf(value);
  }

  private static String resetWarning(Plan.TriggerChange t) {
    return t.function()
        + "/"
        + t.trigger()
        + " will read from "
        + (t.changedFields().contains("consumerGroup")
            ? "consumer group " + t.desired().consumerGroup()
            : t.changedFields().contains("topic")
                ? "topic " + t.desired().topic()
                : "cluster " + t.desired().bootstrapServers())
        + ", where it has no committed offsets: it starts at "
        + t.desired().startOffset().name().toLowerCase(Locale.ROOT)
        + " and records may be re-read or skipped";
  }

  private static String symbol(Plan.Kind kind) {
    return switch (kind) {
      case CREATE -> "+";
      case UPDATE -> "~";
      case DELETE -> "-";
    };
  }

  private static String emoji(Plan.Kind kind) {
    return switch (kind) {
      case CREATE -> "➕";
      case UPDATE -> "🔁";
      case DELETE -> "➖";
    };
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }
}
