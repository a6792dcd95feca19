package io.fctoolkit.maven.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.runtime.kafka.SendRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The records {@code fc:send} produces: one from {@code fc.value}, or those of {@code fc.records},
 * a file or a folder.
 *
 * <ul>
 *   <li>A {@code .jsonl} file holds one record per line: {@code {"key": "k1", "headers": {"x-a":
 *       "1"}, "value": {...}}}. {@code value} is sent as its text when it is a JSON string, else as
 *       its compact JSON; {@code valueFile} (relative to the file) sends a file's bytes instead.
 *       Blank lines are skipped.
 *   <li>Any other file is one record whose value is the file's bytes.
 *   <li>A folder: its files in name order (not its subfolders, not hidden files), each as above.
 * </ul>
 *
 * {@code fc.key} is the key of records that name none; {@code fc.headers} ({@link HeaderSyntax})
 * are added to every record, before its own.
 */
public final class RecordFiles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("key", "headers", "value", "valueFile");

  private RecordFiles() {}

  /**
   * @param value {@code fc.value}, or null
   * @param records {@code fc.records}, or null
   * @param key {@code fc.key}, or null
   * @param headers {@code fc.headers}, or null
   */
  public static List<SendRecord> read(String value, Path records, String key, String headers)
      throws IOException {
    List<Map.Entry<String, String>> common = HeaderSyntax.parse("headers", headers);
    if (value != null && records != null) {
      throw Hints.invalidRequest(
          "value", value, "set either fc.value (one record) or fc.records (a file or folder)");
    }
    if (value != null) {
      return List.of(
          new SendRecord("fc.value", key, common, value.getBytes(StandardCharsets.UTF_8)));
    }
    if (records == null) {
      throw Hints.missingRequest("value", "the records to send (fc.value or fc.records)");
    }
    List<SendRecord> out = new ArrayList<>();
    if (Files.isDirectory(records)) {
      List<Path> files;
      try (Stream<Path> list = Files.list(records)) {
        files =
            list.filter(Files::isRegularFile)
                .filter(f -> !f.getFileName().toString().startsWith("."))
                .sorted()
                .toList();
      }
      for (Path file : files) {
        readFile(file, key, common, out);
      }
      if (out.isEmpty()) {
        throw Hints.invalidRequest("records", records.toString(), "the folder holds no records");
      }
    } else if (Files.isRegularFile(records)) {
      readFile(records, key, common, out);
      if (out.isEmpty()) {
        throw Hints.invalidRequest("records", records.toString(), "the file holds no records");
      }
    } else {
      throw Hints.invalidRequest("records", records.toString(), "no such file or folder");
    }
    return out;
  }

  private static void readFile(
      Path file, String key, List<Map.Entry<String, String>> common, List<SendRecord> out)
      throws IOException {
    String name = file.getFileName().toString();
    if (!name.endsWith(".jsonl")) {
      out.add(new SendRecord(name, key, common, Files.readAllBytes(file)));
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        out.add(line(file, i + 1, lines.get(i), key, common));
      }
    }
  }

  static SendRecord line(
      Path file, int number, String text, String defaultKey, List<Map.Entry<String, String>> common)
      throws IOException {
    String origin = file.getFileName() + ":" + number;
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw bad(file, number, "not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw bad(file, number, "a record is a JSON object {\"key\", \"headers\", \"value\"}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw bad(
            file, number, "unknown field '" + field + "' (known: key, headers, value, valueFile)");
      }
    }
    String key = defaultKey;
    if (node.has("key") && !node.get("key").isNull()) {
      if (!node.get("key").isTextual()) {
        throw bad(file, number, "'key' is a string");
      }
      key = node.get("key").asText();
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>(common);
    JsonNode h = node.get("headers");
    if (h != null && !h.isNull()) {
      if (!h.isObject()) {
        throw bad(file, number, "'headers' is an object of strings: {\"x-trace\": \"42\"}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw bad(file, number, "header '" + e.getKey() + "' is not a string");
        }
        try {
          HeaderSyntax.checkName("records", e.getKey());
        } catch (RuntimeException invalid) {
          throw bad(file, number, invalid.getMessage());
        }
        headers.add(Map.entry(e.getKey(), e.getValue().asText()));
      }
    }
    boolean hasValue = node.has("value");
    boolean hasFile = node.has("valueFile");
    if (hasValue == hasFile) {
      throw bad(file, number, "a record has either 'value' or 'valueFile'");
    }
    byte[] value;
    if (hasValue) {
      JsonNode v = node.get("value");
      value =
          (v.isTextual() ? v.asText() : JSON.writeValueAsString(v))
              .getBytes(StandardCharsets.UTF_8);
    } else {
      Path valueFile = file.toAbsolutePath().getParent().resolve(node.get("valueFile").asText());
      if (!Files.isRegularFile(valueFile)) {
        throw bad(file, number, "valueFile " + valueFile + " does not exist");
      }
      value = Files.readAllBytes(valueFile);
    }
    return new SendRecord(origin, key, headers, value);
  }

  private static RuntimeException bad(Path file, int line, String problem) {
    return Hints.invalidRequest("records", file + " line " + line, problem);
  }
}
