package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.TriggerSpec;
import java.util.List;
import java.util.Set;

/**
 * Turns control API JSON and path values into fc-core records, with 400 errors that name the field.
 */
final class RequestValues {

  private static final Set<String> TRIGGER_FIELDS_WITHOUT_DEFAULT =
      Set.of("name", "function", "alias", "topic", "consumerGroup", "allowDrop");

  private RequestValues() {}

  /** A function configuration: the given fields over the defaults, named as in the URL. */
  static FunctionConfig config(JsonNode node, String function, String prefix) {
    if (!(node instanceof ObjectNode given)) {
      throw new InvalidRequestException(
          prefix.isEmpty() ? "body" : "config", "must be a JSON object", null);
    }
    if (given.hasNonNull("name") && !given.get("name").asText().equals(function)) {
      throw new InvalidRequestException(
          prefix + "name",
          "is '" + given.get("name").asText() + "' but the URL names function '" + function + "'",
          "make them agree");
    }
    if (!given.hasNonNull("handler")) {
      throw new InvalidRequestException(
          prefix + "handler", "is required", "name the function class, e.g. com.example.Hello");
    }
    ObjectNode merged;
    try {
      merged =
          RuntimeJson.MAPPER.valueToTree(
              FunctionConfig.builder(function, "defaults.Placeholder").build());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "name", e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), null);
    }
    for (String nested : List.of("resources", "scaling")) {
      if (given.get(nested) instanceof ObjectNode o) {
        ((ObjectNode) merged.get(nested)).setAll(o);
        given = given.deepCopy();
        given.remove(nested);
      }
    }
    merged.setAll(given);
    merged.put("name", function);
    return convert(merged, FunctionConfig.class, prefix);
  }

  /** Fills the trigger fields a PUT left out with {@link TriggerSpec}'s defaults. */
  static void fillTriggerDefaults(ObjectNode o) {
    try {
      TriggerSpec defaults = TriggerSpec.builder("x", "x", "x", "x").allowDrop(true).build();
      ObjectNode d = RuntimeJson.MAPPER.valueToTree(defaults);
      d.fieldNames()
          .forEachRemaining(
              name -> {
                if (!o.has(name) && !TRIGGER_FIELDS_WITHOUT_DEFAULT.contains(name)) {
                  o.set(name, d.get(name));
                }
              });
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON value as a record; a bad field is a 400 naming its path under {@code prefix}. */
  static <T> T convert(JsonNode node, Class<T> type, String prefix) {
    try {
      return RuntimeJson.MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      String field =
          prefix
              + e.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .reduce((a, b) -> a + "." + b)
                  .orElse("");
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message =
          root instanceof IllegalArgumentException || root instanceof NullPointerException
              ? root.getMessage()
              : e.getOriginalMessage();
      if (root instanceof NullPointerException) {
        message = "'" + message + "' is required";
      }
      throw new InvalidRequestException(
          field.isEmpty() || field.endsWith(".")
              ? (prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1))
              : field,
          message,
          "see docs/control-api.md for the fields and their formats (durations are ISO-8601 such as PT30S)");
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("body", e.getOriginalMessage(), null);
    }
  }

  /** A string field; null when optional and absent. */
  static String text(JsonNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull() || !n.isTextual()) {
      if (required) {
        throw new InvalidRequestException(field, "is required and must be a string", null);
      }
      return null;
    }
    return n.asText();
  }

  /** {@code 3} or {@code v3}. */
  static int versionNumber(String s) {
    String digits = s.startsWith("v") ? s.substring(1) : s;
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(
          "version", "'" + s + "' is not a version number", "use 1, 2, 3... or v1, v2...");
    }
  }

  static long parseLong(String field, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(field, "'" + value + "' is not a number", null);
    }
  }
}
