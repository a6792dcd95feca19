package io.fctoolkit.core.gitops;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The trigger part of one function's plan: creates, changed fields, disables and drift. */
final class TriggerPlanner {
  private final FunctionScope scope;
  private final PlanParts parts;

  TriggerPlanner(FunctionScope scope, PlanParts parts) {
    this.scope = scope;
    this.parts = parts;
  }

  void plan() {
    String function = scope.name();
    EnvironmentSpec env = scope.env();
    List<String> desiredNames = new ArrayList<>();
    for (TriggerDecl decl : scope.function().triggers()) {
      Optional<TriggerBinding> binding = scope.envFunction().trigger(decl.name());
      Optional<TriggerSpec> current = scope.live().trigger(decl.name());
      Optional<TriggerSpec> enabled = scope.enabledTrigger(decl);
      desiredNames.add(decl.name());
      if (enabled.isEmpty()) {
        current.ifPresent(
            t ->
                parts.triggers.add(
                    new Plan.TriggerChange(
                        function,
                        decl.name(),
                        Plan.Kind.DELETE,
                        null,
                        t,
                        List.of(),
                        false,
                        false)));
        continue;
      }
      TriggerSpec desired = enabled.get();
      Ordering override = binding.map(TriggerBinding::ordering).orElse(null);
      if (override != null) {
        desired = desired.toBuilder().ordering(override).build();
      }
      if (desired.ordering() == Ordering.KEY && !scope.caps().keyOrdering()) {
        parts.errors.add(
            function
                + " trigger "
                + desired.name()
                + ": ordering key is not supported by this platform; use ordering partition"
                + " (in sequence per partition) or none, in the function file or for this"
                + " environment only with 'ordering: partition' on the trigger's binding in "
                + env.file());
      }
      if (current.isEmpty()) {
        parts.triggers.add(
            new Plan.TriggerChange(
                function,
                desired.name(),
                Plan.Kind.CREATE,
                desired,
                null,
                List.of(),
                false,
                false));
        continue;
      }
      List<String> changed = changedFields(current.get(), desired);
      if (changed.isEmpty()) {
        continue;
      }
      boolean resets =
          changed.contains("consumerGroup")
              || changed.contains("topic")
              || changed.contains("bootstrapServers");
      parts.triggers.add(
          new Plan.TriggerChange(
              function,
              desired.name(),
              Plan.Kind.UPDATE,
              desired,
              current.get(),
              changed,
              resets,
              false));
    }
    for (TriggerSpec extra : scope.live().triggers()) {
      if (desiredNames.contains(extra.name())) {
        continue;
      }
      parts.drift.add(
          new Plan.Drift(
              function,
              "trigger",
              extra.name(),
              "exists on the platform (topic "
                  + extra.topic()
                  + " -> alias "
                  + extra.alias()
                  + ") but not in Git",
              scope.driftAction("deleted")));
      if (env.driftPolicy() == DriftPolicy.OVERWRITE) {
        parts.triggers.add(
            new Plan.TriggerChange(
                function, extra.name(), Plan.Kind.DELETE, null, extra, List.of(), false, true));
      }
    }
  }

  private static List<String> changedFields(TriggerSpec live, TriggerSpec desired) {
    Map<String, Object> a = live.fields();
    Map<String, Object> b = desired.fields();
    List<String> changed = new ArrayList<>();
    for (String field : a.keySet()) {
      if (!Objects.equals(a.get(field), b.get(field))) {
        changed.add(field);
      }
    }
    return changed;
  }
}
