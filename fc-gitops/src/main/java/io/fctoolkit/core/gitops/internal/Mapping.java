package io.fctoolkit.core.gitops.internal;

import io.fctoolkit.core.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed, position-aware reading of one YAML mapping. Every problem goes to {@link Problems} with
 * the field path and the node's position; readers return null (or the default) and carry on, so
 * that all errors of a file are found in one pass.
 */
public final class Mapping {

  private static final int MAX_NUMBER_CHARS = 64;
  private static final int MAX_NUMBER_DIGITS = 18;

  private final Node node;
  private final String path;
  private final Problems problems;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private Mapping(Node node, String path, Problems problems, List<String> allowed) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    if (!(node instanceof MappingNode mapping)) {
      return;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
        problems.at(keyNode, path, "field names must be plain strings", null);
        continue;
      }
      String key = scalar.getValue();
      if (entries.containsKey(key)) {
        problems.at(
            keyNode,
            child(key),
            "duplicate field '" + key + "'",
            "remove one of the two; YAML keeps only the last, which hides mistakes");
        continue;
      }
      if (!allowed.contains(key)) {
        problems.at(
            keyNode,
            child(key),
            "unknown field '" + key + "'" + Suggest.didYouMean(key, allowed),
            "allowed here: " + String.join(", ", allowed));
        continue;
      }
      entries.put(key, tuple);
    }
  }

  /**
   * Reads {@code node} as a mapping with the given allowed fields, reporting unknown and duplicate
   * fields; a node that is not a mapping is reported and gives an empty mapping.
   */
  public static Mapping of(Node node, String path, Problems problems, List<String> allowed) {
    if (!(node instanceof MappingNode)) {
      problems.at(
          node,
          path,
          "expected a mapping (fields), got " + describe(node),
          "write it as indented 'field: value' lines");
    }
    return new Mapping(node, path, problems, allowed);
  }

  /** Reads {@code node} as a mapping whose keys are names, not fixed fields. */
  public static Mapping ofNames(Node node, String path, Problems problems) {
    if (!(node instanceof MappingNode mapping)) {
      problems.at(
          node,
          path,
          "expected a mapping (fields), got " + describe(node),
          "write it as indented 'name: ...' lines");
      return new Mapping(node, path, problems, List.of());
    }
    List<String> keys = new ArrayList<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode scalar) {
        keys.add(scalar.getValue());
      }
    }
    return new Mapping(node, path, problems, keys);
  }

  public Node node() {
    return node;
  }

  public String path() {
    return path;
  }

  public String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  public boolean has(String key) {
    Node value = value(key);
    return value != null && !isNull(value);
  }

  /** The value node of {@code key}, or null when absent. */
  public Node value(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getValueNode();
  }

  /** The key node of {@code key}, or null when absent. */
  public Node keyNode(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? null : tuple.getKeyNode();
  }

  /** Reports a missing required field at this mapping's start. */
  public void missing(String key, String hint) {
    problems.at(node, path, "missing required field '" + key + "'", hint);
  }

  public void error(String key, String message, String hint) {
    problems.at(value(key) != null ? value(key) : node, child(key), message, hint);
  }

  /** A string field, or null (after reporting when required or mistyped). */
  public String string(String key, boolean required, String hint) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      if (required) {
        missing(key, hint);
      }
      return null;
    }
    if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
      if (scalar.getValue().isBlank()) {
        problems.at(value, child(key), "must not be empty", hint);
        return null;
      }
      return scalar.getValue();
    }
    problems.at(
        value,
        child(key),
        "expected a string, got " + describe(value),
        value instanceof ScalarNode
            ? "quote it: \"" + ((ScalarNode) value).getValue() + "\""
            : hint);
    return null;
  }

  /** A whole number in {@code [min, max]}, or {@code defaultValue} when absent or invalid. */
  public int integer(String key, int defaultValue, long min, long max) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      return defaultValue;
    }
    if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
      long parsed;
      try {
        parsed = Long.decode(scalar.getValue().replace("0o", "0"));
      } catch (NumberFormatException e) {
        parsed = Long.MAX_VALUE;
      }
      if (parsed < min || parsed > max) {
        problems.at(
            value,
            child(key),
            key + " " + scalar.getValue() + " is out of range",
            "use a whole number from " + min + " to " + max);
        return defaultValue;
      }
      return (int) parsed;
    }
    problems.at(
        value,
        child(key),
        "expected a whole number, got " + describe(value),
        "write a number from " + min + " to " + max + " without quotes");
    return defaultValue;
  }

  /** A decimal number, or null when absent or invalid. */
  public BigDecimal decimal(String key, String hint) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      return null;
    }
    if (value instanceof ScalarNode scalar
        && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
      String text = scalar.getValue();
      // Bounded before and after parsing: a long digit string parses slowly, and 1e999999999 or
      // 1e-999999999 would later be printed in full by toPlainString.
      if (text.length() > MAX_NUMBER_CHARS) {
        problems.at(
            value, child(key), "a number of " + text.length() + " characters is too long", hint);
        return null;
      }
      try {
        BigDecimal number = new BigDecimal(text);
        if (number.precision() - number.scale() > MAX_NUMBER_DIGITS
            || number.stripTrailingZeros().scale() > MAX_NUMBER_DIGITS) {
          problems.at(
              value, child(key), "'" + text + "' is too large or has too many decimals", hint);
          return null;
        }
        return number;
      } catch (NumberFormatException e) {
        problems.at(value, child(key), "'" + text + "' is not a finite number", hint);
        return null;
      }
    }
    problems.at(value, child(key), "expected a number, got " + describe(value), hint);
    return null;
  }

  /** A boolean, or {@code defaultValue} when absent or invalid. */
  public boolean bool(String key, boolean defaultValue) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      return defaultValue;
    }
    if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
      return Boolean.parseBoolean(scalar.getValue().toLowerCase(Locale.ROOT));
    }
    problems.at(
        value, child(key), "expected true or false, got " + describe(value), "write true or false");
    return defaultValue;
  }

  /** A duration in the grammar of {@link Durations} ({@code 30s}, {@code 500ms}, {@code PT30S}). */
  public Duration duration(String key, Duration defaultValue) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      return defaultValue;
    }
    String hint = "write a duration such as " + Durations.EXAMPLES;
    if (!(value instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
      problems.at(value, child(key), "expected a duration, got " + describe(value), hint);
      return defaultValue;
    }
    Optional<Duration> parsed = Durations.parse(scalar.getValue());
    if (parsed.isEmpty()) {
      problems.at(value, child(key), "'" + scalar.getValue() + "' is not a duration", hint);
      return defaultValue;
    }
    return parsed.get();
  }

  /** An enum constant written in lower case, or {@code defaultValue}. */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      return defaultValue;
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(Locale.ROOT));
    }
    if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
      int index = names.indexOf(scalar.getValue());
      if (index >= 0) {
        return type.getEnumConstants()[index];
      }
      problems.at(
          value,
          child(key),
          "unknown "
              + key
              + " '"
              + scalar.getValue()
              + "'"
              + Suggest.didYouMean(scalar.getValue(), names),
          "use one of " + String.join(", ", names));
      return defaultValue;
    }
    problems.at(
        value,
        child(key),
        "expected one of " + String.join(", ", names) + ", got " + describe(value),
        "use one of " + String.join(", ", names));
    return defaultValue;
  }

  /** The items of a sequence field; empty (after reporting) when it is not a sequence. */
  public List<Node> sequence(String key) {
    Node value = value(key);
    if (value == null || isNull(value)) {
      return List.of();
    }
    if (value instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    problems.at(
        value,
        child(key),
        "expected a list, got " + describe(value),
        "write each item on its own line starting with '- '");
    return List.of();
  }

  public static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  /** A short description of a node's type for error messages. */
  public static String describe(Node node) {
    if (node == null) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode scalar = (ScalarNode) node;
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) {
      return "null (an empty value)";
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "the number " + scalar.getValue();
    }
    if (tag.equals(Tag.BOOL)) {
      return "the boolean " + scalar.getValue();
    }
    return "the string '" + scalar.getValue() + "'";
  }
}
