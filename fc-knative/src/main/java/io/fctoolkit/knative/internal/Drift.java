package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fctoolkit.knative.KnativeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a Service differs from what fc-toolkit recorded in its annotations, i.e. what someone
 * changed outside fc-toolkit (kubectl edit, another tool): its traffic or its template.
 */
public final class Drift {

  private final KnativeOptions options;

  public Drift(KnativeOptions options) {
    this.options = requireNonNull(options, "options");
  }

  /** One line per difference; empty when the Service agrees with its ledgers. */
  @SuppressWarnings("unchecked")
  public List<String> of(GenericKubernetesResource service, ServiceState state) {
    List<String> out = new ArrayList<>();
    if (state.versions().isEmpty()) {
      return out;
    }
    Map<String, Object> expected =
        ServiceManifest.build(
            options.namespace(),
            state.function(),
            state.versions(),
            state.aliases(),
            options.primaryAlias(),
            new ArrayList<>());
    Map<String, Object> wanted = (Map<String, Object>) expected.get("spec");
    Object actualSpec = service.getAdditionalProperties().get("spec");
    Map<String, Object> actual =
        actualSpec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    if (!sameJson(wanted.get("traffic"), actual.get("traffic"))) {
      out.add(
          "traffic is "
              + SortedJson.write(actual.get("traffic"))
              + " but the aliases say "
              + SortedJson.write(wanted.get("traffic")));
    }
    String wantedTemplate = templateName(wanted);
    String actualTemplate = templateName(actual);
    if (!wantedTemplate.equals(actualTemplate)) {
      out.add(
          "template is revision "
              + actualTemplate
              + " but the newest version is "
              + wantedTemplate);
    }
    return out;
  }

  private static String templateName(Map<String, Object> spec) {
    if (spec.get("template") instanceof Map<?, ?> template
        && template.get("metadata") instanceof Map<?, ?> metadata) {
      return String.valueOf(metadata.get("name"));
    }
    return "(none)";
  }

  /** Equal as JSON, so that 40 and 40L, or a defaulted false and a missing field, compare alike. */
  private static boolean sameJson(Object a, Object b) {
    return SortedJson.read(SortedJson.write(a), Object.class)
        .equals(SortedJson.read(SortedJson.write(b), Object.class));
  }
}
