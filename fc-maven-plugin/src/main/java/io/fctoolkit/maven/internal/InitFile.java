package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

/**
 * One file {@code fc:init} writes.
 *
 * @param path the path in the project, '/'-separated, e.g. {@code gitops/functions/hello.yaml}
 * @param content the bytes
 * @param executable whether to mark it executable (scripts)
 */
public record InitFile(String path, byte[] content, boolean executable) {
  public InitFile {
    requireNonNull(path, "path");
    content = requireNonNull(content, "content").clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** Scripts: a {@code .sh} name or a {@code #!} first line. */
  static boolean isScript(String path, byte[] content) {
    return path.endsWith(".sh") || content.length > 1 && content[0] == '#' && content[1] == '!';
  }
}
