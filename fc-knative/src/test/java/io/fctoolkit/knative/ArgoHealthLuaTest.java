package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** Runs the Argo CD health checks of gitops/argocd/argocd-cm.yaml against sample objects. */
class ArgoHealthLuaTest {

  private static final Path ARGOCD = Path.of("..", "gitops", "argocd");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String script() throws IOException {
    return Files.readString(ARGOCD.resolve("knative-health.lua"));
  }

  @Test
  void argocdCm_holdsTheScriptForEveryKnativeKind() throws IOException {
    JsonNode data =
        new YAMLMapper().readTree(ARGOCD.resolve("argocd-cm.yaml").toFile()).get("data");
    for (String kind :
        new String[] {
          "serving.knative.dev_Service",
          "serving.knative.dev_Revision",
          "sources.knative.dev_KafkaSource",
          "eventing.knative.dev_KafkaSink",
          "flows.knative.dev_Sequence"
        }) {
      assertThat(data.path("resource.customizations.health." + kind).asText())
          .as(kind)
          .isEqualToIgnoringNewLines(script());
    }
  }

  @Test
  void readyTrue_isHealthy() throws IOException {
    assertThat(
            health(
                "{\"metadata\":{\"generation\":2},\"status\":{\"observedGeneration\":2,"
                    + "\"conditions\":[{\"type\":\"ConfigurationsReady\",\"status\":\"True\"},"
                    + "{\"type\":\"Ready\",\"status\":\"True\"}]}}"))
        .containsEntry("status", "Healthy");
  }

  @Test
  void readyFalse_isDegradedWithTheReason() throws IOException {
    assertThat(
            health(
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
                    + "\"reason\":\"RevisionMissing\",\"message\":\"Revision grader-v1 not found\"}]}}"))
        .containsEntry("status", "Degraded")
        .containsEntry("message", "RevisionMissing: Revision grader-v1 not found");
  }

  @Test
  void unknownOrStaleOrMissingStatus_isProgressing() throws IOException {
    assertThat(
            health("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}"))
        .containsEntry("status", "Progressing");
    assertThat(
            health(
                "{\"metadata\":{\"generation\":3},\"status\":{\"observedGeneration\":2,"
                    + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"))
        .containsEntry("status", "Progressing");
    Map<String, Object> rendered =
        KnativeRenderer.render(Grader.prod()).manifests().get(0).object();
    assertThat(health(JSON.writeValueAsString(rendered))).containsEntry("status", "Progressing");
  }

  private static Map<String, String> health(String objectJson) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(JSON.readTree(objectJson)));
    LuaValue result = globals.load(script(), "knative-health.lua").call();
    return Map.of(
        "status", result.get("status").tojstring(), "message", result.get("message").tojstring());
  }

  /** JSON to Lua the way Argo CD hands objects to its scripts: objects and arrays are tables. */
  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        table.set(e.getKey(), lua(e.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }
}
