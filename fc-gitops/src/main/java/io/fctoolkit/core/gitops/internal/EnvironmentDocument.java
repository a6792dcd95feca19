package io.fctoolkit.core.gitops.internal;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.gitops.AliasSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * An environment file as text plus its node tree, edited by replacing, inserting and deleting line
 * ranges found through the nodes' marks. Untouched lines (comments, blank lines, order, quoting)
 * stay byte for byte as they were; nothing is re-serialised.
 */
public final class EnvironmentDocument {

  private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/@:+-]*");
  private static final Pattern CORE_NON_STRING =
      Pattern.compile(
          "[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~");
  private static final List<String> ALIAS_KEYS =
      List.of("release", "canaryRelease", "weight", "affinity");

  private final String text;
  private final Node root;

  private EnvironmentDocument(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} when it is not YAML. */
  public static EnvironmentDocument parse(String text) {
    LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).build();
    Node node =
        new Compose(settings)
            .composeString(text)
            .orElseThrow(() -> new IllegalArgumentException("the environment file is empty"));
    return new EnvironmentDocument(text, node);
  }

  public String text() {
    return text;
  }

  /** The alias as written, or empty when the function or alias is not declared. */
  public Optional<AliasSpec> alias(String function, String alias) {
    return aliasNode(function, alias).map(node -> toSpec(alias, node));
  }

  /** The release ids and images as written, in order. */
  public List<Release> releases(String function) {
    List<Release> releases = new ArrayList<>();
    Optional<SequenceNode> seq = sequence(functionNode(function).orElse(null), "releases");
    if (seq.isEmpty()) {
      return releases;
    }
    for (Node item : seq.get().getValue()) {
      String id = scalar(item, "id");
      String image = scalar(item, "image");
      if (id != null && image != null) {
        try {
          releases.add(new Release(id, io.fctoolkit.core.ImageRef.parse(image)));
        } catch (IllegalArgumentException e) {
          // An invalid historic entry is skipped; validation reports current ones.
        }
      }
    }
    return releases;
  }

  /** The names of the functions declared in the file. */
  public List<String> functions() {
    List<String> names = new ArrayList<>();
    Node functions = value(root, "functions");
    if (functions instanceof MappingNode mapping) {
      for (NodeTuple t : mapping.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode s) {
          names.add(s.getValue());
        }
      }
    }
    return names;
  }

  /**
   * The text with the alias set to {@code spec}: existing values replaced in place, fields no
   * longer needed removed with their lines, new fields added after the alias's last field.
   */
  public String withAlias(String function, AliasSpec spec) {
    MappingNode alias =
        aliasNode(function, spec.name())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "alias " + spec.name() + " of " + function + " is not declared"));
    requireBlock(alias, "alias " + spec.name());
    List<Edit> edits = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String key : ALIAS_KEYS) {
      String wanted = wanted(spec, key);
      NodeTuple tuple = tuple(alias, key);
      if (tuple == null) {
        if (wanted != null) {
          missing.add(key);
        }
        continue;
      }
      if (wanted == null) {
        edits.add(deleteLines(tuple));
      } else if (!wanted.equals(((ScalarNode) tuple.getValueNode()).getValue())) {
        edits.add(replace(tuple.getValueNode(), render(key, wanted)));
      }
    }
    if (!missing.isEmpty()) {
      int indent = column(alias.getValue().get(0).getKeyNode().getStartMark());
      StringBuilder lines = new StringBuilder();
      for (String key : missing) {
        lines
            .append(" ".repeat(indent))
            .append(key)
            .append(": ")
            .append(render(key, wanted(spec, key)))
            .append(newline());
      }
      int at = lineEndAfter(lastScalarEnd(alias));
      edits.add(new Edit(at, at, lines.toString()));
    }
    return apply(edits);
  }

  /** The text with {@code release} appended to the function's releases. */
  public String withRelease(String function, Release release) {
    MappingNode fn =
        functionNode(function)
            .orElseThrow(
                () -> new IllegalArgumentException("function " + function + " is not declared"));
    requireBlock(fn, "function " + function);
    NodeTuple releases = tuple(fn, "releases");
    String id = render("id", release.id());
    String image = render("image", release.image().toString());
    if (releases != null
        && releases.getValueNode() instanceof SequenceNode seq
        && !seq.getValue().isEmpty()) {
      requireBlock(seq, "the releases of " + function);
      int dash = column(seq.getStartMark());
      int itemColumn = column(seq.getValue().get(0).getStartMark());
      String entry =
          " ".repeat(dash)
              + "-"
              + " ".repeat(Math.max(1, itemColumn - dash - 1))
              + "id: "
              + id
              + newline()
              + " ".repeat(itemColumn)
              + "image: "
              + image
              + newline();
      int at = lineEndAfter(lastScalarEnd(seq));
      return apply(List.of(new Edit(at, at, entry)));
    }
    int indent = column(fn.getValue().get(0).getKeyNode().getStartMark());
    String block =
        " ".repeat(indent + 2)
            + "- id: "
            + id
            + newline()
            + " ".repeat(indent + 4)
            + "image: "
            + image
            + newline();
    if (releases == null) {
      int at = lineStart(offset(fn.getValue().get(0).getKeyNode().getStartMark().orElseThrow()));
      return apply(List.of(new Edit(at, at, " ".repeat(indent) + "releases:" + newline() + block)));
    }
    // 'releases:' with an empty value or '[]': replace the value with a block list.
    Node value = releases.getValueNode();
    int start = offset(releases.getKeyNode().getEndMark().orElseThrow());
    int end = lineEndAfter(value.getEndMark().orElseThrow());
    return apply(List.of(new Edit(start, end, ":" + newline() + block)));
  }

  private Optional<MappingNode> functionNode(String function) {
    Node functions = value(root, "functions");
    Node fn = value(functions, function);
    return fn instanceof MappingNode m ? Optional.of(m) : Optional.empty();
  }

  private Optional<MappingNode> aliasNode(String function, String alias) {
    Optional<SequenceNode> aliases = sequence(functionNode(function).orElse(null), "aliases");
    if (aliases.isEmpty()) {
      return Optional.empty();
    }
    for (Node item : aliases.get().getValue()) {
      if (item instanceof MappingNode m && alias.equals(scalar(m, "name"))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static AliasSpec toSpec(String name, MappingNode node) {
    String release = scalar(node, "release");
    String canary = scalar(node, "canaryRelease");
    String weight = scalar(node, "weight");
    String affinity = scalar(node, "affinity");
    return new AliasSpec(
        name,
        release == null ? "" : release,
        canary,
        weight == null ? BigDecimal.ZERO : new BigDecimal(weight),
        affinity == null ? Affinity.NONE : Affinity.valueOf(affinity.toUpperCase(Locale.ROOT)));
  }

  private static String wanted(AliasSpec spec, String key) {
    return switch (key) {
      case "release" -> spec.release();
      case "canaryRelease" -> spec.canaryRelease();
      case "weight" -> spec.hasCanary() ? spec.weight().toPlainString() : null;
      case "affinity" -> spec.hasCanary() && spec.affinity() == Affinity.KEY ? "key" : null;
      default -> throw new IllegalArgumentException(key);
    };
  }

  /** A scalar as it must be written: plain when it reads back as the same string. */
  private static String render(String key, String value) {
    if (key.equals("weight")) {
      return value;
    }
    if (PLAIN_SAFE.matcher(value).matches() && !CORE_NON_STRING.matcher(value).matches()) {
      return value;
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void requireBlock(Node node, String what) {
    boolean flow =
        (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.FLOW)
            || (node instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.FLOW);
    if (flow) {
      throw new IllegalArgumentException(
          what
              + " is written in flow style ({...} or [...]); write it in block style (one field"
              + " per line) so it can be edited without rewriting other lines");
    }
  }

  private static Node value(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      NodeTuple t = tuple(mapping, key);
      return t == null ? null : t.getValueNode();
    }
    return null;
  }

  private static NodeTuple tuple(MappingNode mapping, String key) {
    for (NodeTuple t : mapping.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return t;
      }
    }
    return null;
  }

  private static Optional<SequenceNode> sequence(Node node, String key) {
    Node value = value(node, key);
    return value instanceof SequenceNode s ? Optional.of(s) : Optional.empty();
  }

  private static String scalar(Node node, String key) {
    Node value = value(node, key);
    return value instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) ? s.getValue() : null;
  }

  private Edit replace(Node value, String replacement) {
    return new Edit(
        offset(value.getStartMark().orElseThrow()),
        offset(value.getEndMark().orElseThrow()),
        replacement);
  }

  /** Deletes the lines of a {@code key: scalar} entry, including its end-of-line comment. */
  private Edit deleteLines(NodeTuple tuple) {
    int start = lineStart(offset(tuple.getKeyNode().getStartMark().orElseThrow()));
    int end = lineEndAfter(tuple.getValueNode().getEndMark().orElseThrow());
    return new Edit(start, end, "");
  }

  private static Mark lastScalarEnd(Node node) {
    if (node instanceof MappingNode m && !m.getValue().isEmpty()) {
      return lastScalarEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
    }
    if (node instanceof SequenceNode s && !s.getValue().isEmpty()) {
      return lastScalarEnd(s.getValue().get(s.getValue().size() - 1));
    }
    return node.getEndMark().orElseThrow();
  }

  private int offset(Mark mark) {
    return text.offsetByCodePoints(0, mark.getIndex());
  }

  private static int column(Optional<Mark> mark) {
    return mark.orElseThrow().getColumn();
  }

  private int lineStart(int offset) {
    int newline = text.lastIndexOf('\n', offset - 1);
    return newline + 1;
  }

  /** The offset just after the end of the line holding {@code mark}. */
  private int lineEndAfter(Mark mark) {
    int offset = offset(mark);
    // An end mark at column 0 is the start of the next line: the value ended the line before.
    if (mark.getColumn() == 0 && offset > 0) {
      return offset;
    }
    int newline = text.indexOf('\n', offset);
    return newline < 0 ? text.length() : newline + 1;
  }

  private String apply(List<Edit> edits) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start).reversed());
    StringBuilder out = new StringBuilder(text);
    if (!text.endsWith("\n")) {
      out.append(newline());
    }
    for (Edit edit : sorted) {
      out.replace(edit.start, Math.min(edit.end, out.length()), edit.replacement);
    }
    return out.toString();
  }

  /** The file's own line separator, so Windows files stay CRLF throughout. */
  private String newline() {
    return text.contains("\r\n") ? "\r\n" : "\n";
  }

  private record Edit(int start, int end, String replacement) {}
}
