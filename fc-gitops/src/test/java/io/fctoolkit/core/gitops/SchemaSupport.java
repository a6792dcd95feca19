package io.fctoolkit.core.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Validates gitops files with the JSON Schemas in the project's {@code gitops/schema/}. */
final class SchemaSupport {

  static final Path SCHEMA_DIR = Path.of("..", "gitops", "schema");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaSupport() {}

  /** The schema's messages for {@code file} (function or environment by its kind). */
  static List<String> validate(Path file) {
    try {
      Object data =
          new Load(LoadSettings.builder().setSchema(new CoreSchema()).build())
              .loadFromString(Files.readString(file));
      JsonNode node = JSON.valueToTree(data);
      String kind = node != null && node.has("kind") ? node.get("kind").asText() : "";
      boolean environment =
          kind.equals("Environment")
              || file.toString().replace('\\', '/').contains("environments/");
      JsonSchema schema = schema(environment ? "environment.schema.json" : "function.schema.json");
      Set<ValidationMessage> messages = schema.validate(node);
      return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonSchema schema(String name) throws IOException {
    try (InputStream in = Files.newInputStream(SCHEMA_DIR.resolve(name))) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
  }
}
