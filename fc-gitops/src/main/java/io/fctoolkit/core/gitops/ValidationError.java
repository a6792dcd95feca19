package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

/**
 * One problem in a gitops file, with its position and how to fix it.
 *
 * @param file the file, relative to the gitops root
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0 with line 0
 * @param path the field path, e.g. {@code functions.grader.aliases[0].weight}, or empty
 * @param message what is wrong
 * @param hint how to fix it, or null
 */
public record ValidationError(
    String file, int line, int column, String path, String message, String hint) {

  public ValidationError {
    requireNonNull(file, "file");
    requireNonNull(path, "path");
    requireNonNull(message, "message");
  }

  /** {@code file:line:column: path: message (fix: hint)}, like a compiler. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(file);
    if (line > 0) {
      text.append(':').append(line).append(':').append(column);
    }
    text.append(": ");
    if (!path.isEmpty()) {
      text.append(path).append(": ");
    }
    text.append(message);
    if (hint != null) {
      text.append(" (fix: ").append(hint).append(')');
    }
    return text.toString();
  }
}
