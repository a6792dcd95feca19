package io.fctoolkit.grader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The known worksheet layouts, by name and by fiducial code, loaded from a JSON resource. */
public final class LayoutRegistry {

  /** Classpath location of the built-in layouts. */
  public static final String RESOURCE = "/io/fctoolkit/grader/layouts.json";

  /** The fields of a layout in the JSON file. */
  private static final Set<String> LAYOUT_FIELDS =
      Set.of(
          "name",
          "code",
          "title",
          "pageWidth",
          "pageHeight",
          "markerSize",
          "markerMargin",
          "boxes");

  /** The fields of an answer box in the JSON file. */
  private static final Set<String> BOX_FIELDS = Set.of("id", "prompt", "x", "y", "width", "height");

  private final Map<String, Layout> byName = new LinkedHashMap<>();
  private final Map<Integer, Layout> byCode = new LinkedHashMap<>();

  /** A registry holding {@code layouts}; names and codes must be unique. */
  public LayoutRegistry(Collection<Layout> layouts) {
    for (Layout layout : layouts) {
      if (byName.put(layout.name(), layout) != null) {
        throw new IllegalArgumentException("duplicate layout name " + layout.name());
      }
      if (byCode.put(layout.code(), layout) != null) {
        throw new IllegalArgumentException("duplicate layout code " + layout.code());
      }
    }
  }

  /** The built-in layouts of {@value #RESOURCE}. */
  public static LayoutRegistry builtIn() {
    return builtIn(new ObjectMapper());
  }

  /**
   * The built-in layouts of {@value #RESOURCE}, read with {@code json}: a function that reads its
   * requests with the same mapper pays for its JSON tree reader once per cold start, not twice.
   */
  public static LayoutRegistry builtIn(ObjectMapper json) {
    try (InputStream in = LayoutRegistry.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return fromJson(in, json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Reads {@code {"layouts":[...]}} from {@code json}. Unknown and missing fields are errors naming
   * the field.
   *
   * <p>The file is read as a JSON tree and the records are built by hand: Jackson's data binding of
   * records introspects them by reflection on first use, which cost about 40 ms of CPU at every
   * cold start of the grader (docs/performance.md), for a file of two layouts.
   */
  public static LayoutRegistry fromJson(InputStream json) throws IOException {
    return fromJson(json, new ObjectMapper());
  }

  private static LayoutRegistry fromJson(InputStream in, ObjectMapper json) throws IOException {
    JsonNode root = json.readTree(in);
    List<Layout> layouts = new ArrayList<>();
    for (JsonNode layout : array(object(root, "the layout file"), "layouts", "the layout file")) {
      String where = "layout " + layouts.size();
      object(layout, where);
      known(layout, LAYOUT_FIELDS, where);
      where = "layout " + text(layout, "name", where);
      List<AnswerBox> boxes = new ArrayList<>();
      for (JsonNode box : array(layout, "boxes", where)) {
        String at = where + ", box " + boxes.size();
        object(box, at);
        known(box, BOX_FIELDS, at);
        boxes.add(
            new AnswerBox(
                text(box, "id", at),
                text(box, "prompt", at),
                number(box, "x", at),
                number(box, "y", at),
                number(box, "width", at),
                number(box, "height", at)));
      }
      layouts.add(
          new Layout(
              text(layout, "name", where),
              integer(layout, "code", where),
              text(layout, "title", where),
              number(layout, "pageWidth", where),
              number(layout, "pageHeight", where),
              number(layout, "markerSize", where),
              number(layout, "markerMargin", where),
              boxes));
    }
    return new LayoutRegistry(layouts);
  }

  private static JsonNode object(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object");
    }
    return node;
  }

  private static void known(JsonNode node, Set<String> fields, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new IllegalArgumentException(
            where
                + ": unknown field \""
                + name
                + "\"; the known fields are "
                + new TreeSet<>(fields));
      }
    }
  }

  private static JsonNode array(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException(where + ": field \"" + field + "\" must be an array");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a string");
    }
    return value.textValue();
  }

  private static int integer(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(where + ": field \"" + field + "\" must be an integer");
    }
    return value.intValue();
  }

  private static double number(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a number");
    }
    return value.doubleValue();
  }

  /** The layout named {@code name}, if known. */
  public Optional<Layout> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The layout whose fiducials carry {@code code}, if known. */
  public Optional<Layout> byCode(int code) {
    return Optional.ofNullable(byCode.get(code));
  }

  /** All layouts in registration order. */
  public List<Layout> all() {
    return List.copyOf(byName.values());
  }
}
