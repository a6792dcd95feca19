package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the Flux health checks ({@code healthCheckExprs}) of gitops/flux/grader-prod.yaml with
 * Google's CEL implementation for Java against sample Knative objects. Flux hands each expression
 * the object's top-level fields as variables; an object counts as healthy when {@code current} is
 * true, failed when {@code failed} is, in progress while {@code inProgress} is or neither holds.
 */
class FluxHealthCelTest {

  private static final Path FLUX = Path.of("..", "gitops", "flux", "grader-prod.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("apiVersion", SimpleType.DYN)
          .addVar("kind", SimpleType.DYN)
          .addVar("metadata", SimpleType.DYN)
          .addVar("spec", SimpleType.DYN)
          .addVar("status", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** The healthCheckExprs entries of the Flux Kustomization. */
  private static List<JsonNode> checks() throws IOException {
    List<JsonNode> checks = new ArrayList<>();
    for (JsonNode document :
        new YAMLMapper()
            .readValues(new YAMLMapper().createParser(FLUX.toFile()), JsonNode.class)
            .readAll()) {
      document.path("spec").path("healthCheckExprs").forEach(checks::add);
    }
    return checks;
  }

  private static boolean eval(String expression, String object) throws Exception {
    if (expression == null || expression.isBlank()) {
      return false;
    }
    CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) celValue(JSON.readTree(object));
    return (Boolean) RUNTIME.createProgram(ast).eval(fields);
  }

  /** JSON as CEL values: objects as maps, arrays as lists, whole numbers as CEL ints (longs). */
  private static Object celValue(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), celValue(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(celValue(n)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    return node.isBoolean() ? node.asBoolean() : node.asText();
  }

  /** What Flux makes of the object: InProgress, Failed or Current. */
  private static String health(JsonNode check, String object) throws Exception {
    if (eval(check.path("inProgress").asText(null), object)) {
      return "InProgress";
    }
    if (eval(check.path("failed").asText(null), object)) {
      return "Failed";
    }
    return eval(check.path("current").asText(null), object) ? "Current" : "InProgress";
  }

  @Test
  void everyKnativeKind_hasACheck() throws IOException {
    assertThat(checks())
        .extracting(c -> c.path("kind").asText())
        .containsExactlyInAnyOrder("Service", "KafkaSource", "KafkaSink", "Sequence");
  }

  @Test
  void noReadyConditionYet_isInProgress_notHealthy() throws Exception {
    for (JsonNode check : checks()) {
      String kind = check.path("kind").asText();
      // A controller has not written any condition yet; filter().all() called this Current.
      assertThat(health(check, "{\"metadata\":{\"generation\":1},\"status\":{\"conditions\":[]}}"))
          .as(kind)
          .isEqualTo("InProgress");
      assertThat(health(check, "{\"metadata\":{\"generation\":1},\"status\":{}}"))
          .as(kind)
          .isEqualTo("InProgress");
      assertThat(
              health(
                  check,
                  "{\"metadata\":{\"generation\":1},\"status\":{\"observedGeneration\":1,"
                      + "\"conditions\":[{\"type\":\"ConfigurationsReady\",\"status\":\"True\"}]}}"))
          .as(kind)
          .isEqualTo("InProgress");
    }
  }

  @Test
  void readyTrue_isCurrent_readyFalse_isFailed_unknown_isInProgress() throws Exception {
    for (JsonNode check : checks()) {
      String kind = check.path("kind").asText();
      assertThat(health(check, ready("True", 2, 2))).as(kind).isEqualTo("Current");
      assertThat(health(check, ready("False", 2, 2))).as(kind).isEqualTo("Failed");
      assertThat(health(check, ready("Unknown", 2, 2))).as(kind).isEqualTo("InProgress");
    }
  }

  @Test
  void readyFromAnOlderGeneration_isInProgress() throws Exception {
    for (JsonNode check : checks()) {
      // The spec changed (a promotion) and the controller still reports the old revision's Ready.
      assertThat(health(check, ready("True", 3, 2)))
          .as(check.path("kind").asText())
          .isEqualTo("InProgress");
    }
  }

  private static String ready(String status, int generation, int observed) {
    return "{\"metadata\":{\"generation\":"
        + generation
        + "},\"status\":{\"observedGeneration\":"
        + observed
        + ",\"conditions\":[{\"type\":\"Ready\",\"status\":\""
        + status
        + "\"}]}}";
  }
}
