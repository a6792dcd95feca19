package io.fctoolkit.core.gitops.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Parses one YAML file into a node tree that keeps line and column marks. */
public final class YamlDocument {

  private YamlDocument() {}

  /**
   * The single document of {@code text}, or empty after reporting why there is none (a syntax
   * error, an empty file, or several documents).
   */
  public static Optional<Node> parse(String text, Problems problems) {
    // YAML 1.2 core schema: 'yes', 'no' and 'on' stay strings, so nothing flips to a boolean.
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(problems.file())
            .setSchema(new CoreSchema())
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(20)
            .setCodePointLimit(1_000_000)
            .build();
    List<Node> documents = new ArrayList<>();
    try {
      Composer composer = new Composer(settings, new NestingLimitedParser(settings, text));
      while (composer.hasNext()) {
        Node node = composer.next();
        documents.add(node);
        if (documents.size() > 1) {
          problems.at(
              node,
              "",
              "this file holds more than one YAML document",
              "keep one document per file; remove the '---' separator and split it");
          return Optional.empty();
        }
      }
    } catch (MarkedYamlEngineException e) {
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " " + e.getContext();
      if (e.getContextMark().isPresent()
          && e.getProblemMark().isPresent()
          && e.getContextMark().get().getLine() != e.getProblemMark().get().getLine()) {
        context +=
            " started at line "
                + (e.getContextMark().get().getLine() + 1)
                + ", column "
                + (e.getContextMark().get().getColumn() + 1);
      }
      problems.at(
          e.getProblemMark().or(e::getContextMark).orElse(null),
          "",
          "invalid YAML: " + problem + context,
          "check the indentation and quoting at this position (tabs are not allowed)");
      return Optional.empty();
    } catch (YamlEngineException e) {
      problems.file("invalid YAML: " + e.getMessage(), "fix the YAML syntax");
      return Optional.empty();
    }
    if (documents.isEmpty()) {
      problems.file("the file is empty", "start it with apiVersion: fc-toolkit.io/v1 and a kind");
      return Optional.empty();
    }
    return Optional.of(documents.get(0));
  }
}
