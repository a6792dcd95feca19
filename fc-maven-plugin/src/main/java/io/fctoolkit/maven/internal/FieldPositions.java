package io.fctoolkit.maven.internal;

import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.ValidationError;
import io.fctoolkit.core.gitops.internal.Problems;
import io.fctoolkit.core.gitops.internal.YamlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Points a platform's finding at its line: a finding whose field is an environment-file path
 * ({@code functions.grader.aliases[0].rollout.minSamples}) gets {@code file:line:column} of that
 * field, or of its nearest written ancestor when the field takes its default (a default has no line
 * of its own).
 */
public final class FieldPositions {

  private static final Pattern PATH =
      Pattern.compile(
          "functions\\.[A-Za-z0-9_-]+\\.aliases\\[\\d+\\]\\.rollout[A-Za-z0-9_.\\[\\]]*");

  private final String file;
  private final Node root;

  private FieldPositions(String file, Node root) {
    this.file = file;
    this.root = root;
  }

  /**
   * @param file the file's name as the messages show it (relative to the gitops folder)
   * @param text the file's content
   */
  public static FieldPositions of(String file, String text) {
    Optional<Node> node =
        YamlDocument.parse(text, new Problems(file, new ArrayList<ValidationError>()));
    return new FieldPositions(file, node.orElse(null));
  }

  /** The positions in an environment's file. */
  public static FieldPositions of(GitOpsRepository repository, EnvironmentSpec env) {
    try {
      return of(env.file(), Files.readString(repository.root().resolve(env.file())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + env.file(), e);
    }
  }

  /** {@code file:line:column} of the path's deepest key or item present in the file. */
  public String position(String path) {
    Node at = root;
    Node found = null;
    for (String segment : path.split("\\.")) {
      int bracket = segment.indexOf('[');
      NodeTuple entry = entry(at, bracket < 0 ? segment : segment.substring(0, bracket));
      if (entry == null) {
        break;
      }
      found = entry.getKeyNode();
      at = entry.getValueNode();
      for (int b = bracket; at != null && b >= 0; b = segment.indexOf('[', b + 1)) {
        int index = Integer.parseInt(segment.substring(b + 1, segment.indexOf(']', b)));
        at =
            at instanceof SequenceNode s && index < s.getValue().size()
                ? s.getValue().get(index)
                : null;
        found = at != null ? at : found;
      }
      if (at == null) {
        break;
      }
    }
    if (found == null || found.getStartMark().isEmpty()) {
      return file;
    }
    var mark = found.getStartMark().get();
    return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  /** {@code text} with each environment-file path in it preceded by its position. */
  public String annotate(String text) {
    Matcher m = PATH.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String path = m.group().replaceAll("\\.$", "");
      m.appendReplacement(out, Matcher.quoteReplacement(position(path) + ": " + m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static NodeTuple entry(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple t : mapping.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return t;
        }
      }
    }
    return null;
  }
}
