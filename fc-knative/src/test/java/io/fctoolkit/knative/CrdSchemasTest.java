package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.knative.internal.SortedJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator must really reject what the API server would refuse or prune. */
class CrdSchemasTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> object) {
    return SortedJson.read(SortedJson.write(object), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> object, String... path) {
    Map<String, Object> m = object;
    for (String key : path) {
      Object next = m.get(key);
      m =
          next instanceof List<?> list
              ? (Map<String, Object>) list.get(0)
              : (Map<String, Object>) next;
    }
    return m;
  }

  private static Map<String, Object> rendered(String kind) {
    return copy(
        KnativeRenderer.render(Grader.prod()).manifests().stream()
            .filter(m -> m.kind().equals(kind))
            .findFirst()
            .orElseThrow()
            .object());
  }

  @Test
  void load_readsEveryCrdFromTheModulesOwnTestResources() {
    assertThat(CrdSchemas.get().source()).contains("class path");
    // Service, Configuration, Revision, Route (v1), KafkaSource, KafkaSink, Broker, Trigger,
    // Sequence: each with at least one served version.
    assertThat(CrdSchemas.get().size()).isGreaterThanOrEqualTo(9);
  }

  @Test
  void validate_wrongType_isRejected() {
    Map<String, Object> service = rendered("Service");
    at(service, "spec", "template", "spec").put("containerConcurrency", "eight");
    assertThat(CrdSchemas.get().validate(service))
        .anySatisfy(e -> assertThat(e).contains("containerConcurrency"));
  }

  @Test
  void validate_misspelledField_isRejectedInsteadOfPruned() {
    Map<String, Object> service = rendered("Service");
    at(service, "spec", "template", "spec").put("containerConcurency", 8);
    assertThat(CrdSchemas.get().validate(service))
        .anySatisfy(e -> assertThat(e).contains("containerConcurency"));
  }

  @Test
  void validate_missingRequiredField_isRejected() {
    Map<String, Object> source = rendered("KafkaSource");
    at(source, "spec").remove("bootstrapServers");
    assertThat(CrdSchemas.get().validate(source))
        .anySatisfy(e -> assertThat(e).contains("bootstrapServers"));
  }

  @Test
  void validate_enumViolation_isRejected() {
    Map<String, Object> sink = rendered("KafkaSink");
    at(sink, "spec").put("contentMode", "sideways");
    assertThat(CrdSchemas.get().validate(sink))
        .anySatisfy(e -> assertThat(e).contains("contentMode"));
  }

  @Test
  void validate_unservedVersion_isRejected() {
    Map<String, Object> source = rendered("KafkaSource");
    source.put("apiVersion", "sources.knative.dev/v9");
    assertThat(CrdSchemas.get().validate(source))
        .singleElement()
        .satisfies(e -> assertThat(e).contains("no served CRD version"));
  }

  @Test
  void validate_intOrString_acceptsBoth() {
    Map<String, Object> service = rendered("Service");
    Map<String, Object> probe =
        at(service, "spec", "template", "spec", "containers", "readinessProbe", "httpGet");
    probe.put("port", 8080);
    assertThat(CrdSchemas.get().validate(service)).isEmpty();
    probe.put("port", "http1");
    assertThat(CrdSchemas.get().validate(service)).isEmpty();
    probe.put("port", true);
    assertThat(CrdSchemas.get().validate(service)).isNotEmpty();
  }
}
