package io.fctoolkit.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fctoolkit.knative.internal.KnativeKinds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Knative CRD schemas, and Flagger's, as JSON Schema validators. The CRDs are this
 * module's test resources ({@code src/test/resources/knative-crds/}, whose README says where each
 * comes from and under which licence), so any clone, fork or user's CI validates against the same
 * copy.
 *
 * <p>openAPIV3Schema is close to JSON Schema draft 4; the differences are handled like the API
 * server does: {@code x-kubernetes-int-or-string} accepts an integer or a string, {@code nullable}
 * accepts null, and an object with {@code properties} and no {@code
 * x-kubernetes-preserve-unknown-fields} rejects other fields (the API server would silently prune
 * them, which for us is a bug: a field we set would be lost).
 *
 * <p>Public and shipped in this module's test-jar so that fc-maven-plugin's tests validate what its
 * goals apply with the same validator (one copy, test scope only: no schema library at run time).
 */
public final class CrdSchemas {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static CrdSchemas instance;

  private final String source;

  /** "group/version/Kind" -> schema. */
  private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();

  private CrdSchemas(String source, Map<String, String> files) {
    this.source = source;
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
    try {
      for (Map.Entry<String, String> file : files.entrySet()) {
        // A file may hold several CRDs (Flagger's crd.yaml holds three documents).
        for (JsonNode crd :
            YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.getValue()).readAll()) {
          read(crd, factory, config);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs from " + source, e);
    }
  }

  /** Adds the served versions of one CRD; other documents are ignored. */
  private void read(JsonNode crd, JsonSchemaFactory factory, SchemaValidatorsConfig config) {
    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
      return;
    }
    String group = crd.path("spec").path("group").asText();
    String kind = crd.path("spec").path("names").path("kind").asText();
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (!version.path("served").asBoolean()) {
        continue;
      }
      ObjectNode schema = (ObjectNode) version.path("schema").path("openAPIV3Schema").deepCopy();
      root(schema);
      schemas.put(
          group + "/" + version.path("name").asText() + "/" + kind,
          factory.getSchema(schema, config));
    }
  }

  /** The schemas, read once per test JVM. */
  public static synchronized CrdSchemas get() {
    if (instance == null) {
      instance = load();
    }
    return instance;
  }

  /** Where the schemas were read from: the test class path, or the folder an override named. */
  String source() {
    return source;
  }

  /** How many CRD versions were read (served versions only). */
  int size() {
    return schemas.size();
  }

  /**
   * Reads the CRDs from the folder named by system property {@code fc.knative.crds} or env {@code
   * FC_KNATIVE_CRDS} (to try newer Knative releases), else from this module's test resources,
   * listed in {@code knative-crds/index.txt}. A missing file fails: it must never skip validation.
   */
  static CrdSchemas load() {
    String override = System.getProperty("fc.knative.crds");
    if (override == null || override.isBlank()) {
      override = System.getenv("FC_KNATIVE_CRDS");
    }
    Map<String, String> files = new LinkedHashMap<>();
    try {
      if (override != null && !override.isBlank()) {
        Path dir = Path.of(override);
        try (Stream<Path> list = Files.list(dir)) {
          for (Path file : list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
            files.put(file.getFileName().toString(), Files.readString(file));
          }
        }
        return new CrdSchemas(dir.toString(), files);
      }
      for (String name : resource("index.txt").lines().map(String::strip).toList()) {
        if (!name.isEmpty() && !name.startsWith("#")) {
          files.put(name, resource(name));
        }
      }
      return new CrdSchemas("the test class path (knative-crds/)", files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CrdSchemas.class.getResourceAsStream("/knative-crds/" + name)) {
      if (in == null) {
        throw new AssertionError(
            "Knative CRD knative-crds/"
                + name
                + " is not on the test class path; it belongs in fc-knative/src/test/resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Validation errors of one object against the schema of the apiVersion and kind it names. */
  public List<String> validate(Map<String, Object> object) {
    JsonNode node = new ObjectMapper().valueToTree(object);
    return validate(node);
  }

  public List<String> validate(JsonNode node) {
    String apiVersion = node.path("apiVersion").asText();
    String kind = node.path("kind").asText();
    JsonSchema schema = schemas.get(apiVersion + "/" + kind);
    if (schema == null) {
      return List.of(
          "no served CRD version for "
              + kind
              + " "
              + apiVersion
              + " in "
              + source
              + " (have "
              + schemas.keySet()
              + ")");
    }
    List<String> errors = new ArrayList<>();
    for (ValidationMessage m : schema.validate(node)) {
      errors.add(kind + " " + node.path("metadata").path("name").asText() + ": " + m.getMessage());
    }
    return errors;
  }

  /**
   * Validates every Knative object fc-toolkit writes (Services, KafkaSources, KafkaSinks,
   * Sequences) in a namespace as the API server holds them.
   *
   * @return the validation errors, empty when all are valid
   * @throws AssertionError when the namespace holds none of them (nothing validated proves nothing)
   */
  @SuppressWarnings("unchecked")
  public List<String> validateNamespace(KubernetesClient client, String namespace) {
    List<String> errors = new ArrayList<>();
    int count = 0;
    for (var kind :
        List.of(
            KnativeKinds.SERVICE,
            KnativeKinds.KAFKA_SOURCE,
            KnativeKinds.KAFKA_SINK,
            KnativeKinds.SEQUENCE)) {
      for (GenericKubernetesResource r :
          client.genericKubernetesResources(kind).inNamespace(namespace).list().getItems()) {
        errors.addAll(validate(client.getKubernetesSerialization().convertValue(r, Map.class)));
        count++;
      }
    }
    if (count == 0) {
      throw new AssertionError("no Knative object in namespace " + namespace + " to validate");
    }
    return errors;
  }

  private static void root(ObjectNode schema) {
    // The API server validates apiVersion, kind and metadata itself; some CRDs omit them.
    ObjectNode props =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    if (!props.has("apiVersion")) {
      props.putObject("apiVersion").put("type", "string");
    }
    if (!props.has("kind")) {
      props.putObject("kind").put("type", "string");
    }
    if (!props.has("metadata")) {
      props.putObject("metadata").put("type", "object");
    }
    convert(schema);
  }

  /** Turns an openAPIV3Schema node into a draft-4 schema with the API server's semantics. */
  private static void convert(ObjectNode node) {
    boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
      node.remove("type");
      ArrayNode anyOf = node.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    if (node.path("x-kubernetes-embedded-resource").asBoolean(false)) {
      ObjectNode props =
          node.has("properties")
              ? (ObjectNode) node.get("properties")
              : node.putObject("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      props.putObject("metadata").put("type", "object");
    }
    if (node.path("nullable").asBoolean(false) && node.has("type")) {
      ArrayNode types = NODES.arrayNode().add(node.get("type").asText()).add("null");
      node.set("type", types);
    }
    node.remove("nullable");
    node.remove("description");
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      if (it.next().startsWith("x-kubernetes-")) {
        it.remove();
      }
    }
    if (node.has("properties") && !node.has("additionalProperties") && !preserve) {
      node.put("additionalProperties", false);
    }
    JsonNode props = node.get("properties");
    if (props instanceof ObjectNode) {
      props.forEach(p -> convertChild(p));
    }
    convertChild(node.get("items"));
    convertChild(node.get("additionalProperties"));
    for (String key : List.of("allOf", "anyOf", "oneOf")) {
      JsonNode list = node.get(key);
      if (list instanceof ArrayNode) {
        list.forEach(CrdSchemas::convertChild);
      }
    }
    convertChild(node.get("not"));
  }

  private static void convertChild(JsonNode child) {
    if (child instanceof ObjectNode o) {
      convert(o);
    }
  }
}
