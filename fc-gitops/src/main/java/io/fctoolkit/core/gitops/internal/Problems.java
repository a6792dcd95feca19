package io.fctoolkit.core.gitops.internal;

import io.fctoolkit.core.gitops.ValidationError;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects the validation errors of one file, so that all of them are reported at once. */
public final class Problems {

  private final String file;
  private final List<ValidationError> errors;

  public Problems(String file, List<ValidationError> sink) {
    this.file = file;
    this.errors = sink;
  }

  public String file() {
    return file;
  }

  /** An error at a node's start (1-based line and column). */
  public void at(Node node, String path, String message, String hint) {
    Mark mark = node == null ? null : node.getStartMark().orElse(null);
    at(mark, path, message, hint);
  }

  public void at(Mark mark, String path, String message, String hint) {
    if (mark == null) {
      errors.add(new ValidationError(file, 0, 0, path, message, hint));
    } else {
      errors.add(
          new ValidationError(file, mark.getLine() + 1, mark.getColumn() + 1, path, message, hint));
    }
  }

  /** An error at a 1-based line and column (0, 0: the whole file), e.g. from a JSON parser. */
  public void at(int line, int column, String path, String message, String hint) {
    errors.add(new ValidationError(file, line, column, path, message, hint));
  }

  /** An error about the whole file. */
  public void file(String message, String hint) {
    errors.add(new ValidationError(file, 0, 0, "", message, hint));
  }

  public int count() {
    return (int) errors.stream().filter(e -> e.file().equals(file)).count();
  }
}
