package io.fctoolkit.maven.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The templates packaged in the plugin under {@code fc-init/} (the repository's {@code pipelines/}
 * and {@code gitops/schema/}, copied by the plugin's build): a folder when the plugin runs from
 * {@code target/classes}, the jar opened as a file system otherwise. Closing releases the jar.
 */
public final class InitTemplates implements AutoCloseable {

  /** The folder inside the plugin's classes or jar. */
  public static final String FOLDER = "fc-init";

  private final FileSystem jar;
  private final Path root;

  private InitTemplates(FileSystem jar, Path root) {
    this.jar = jar;
    this.root = root;
  }

  /** The templates next to {@code anchor}'s class files. */
  public static InitTemplates of(Class<?> anchor) {
    CodeSource source = anchor.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException("cannot locate the plugin's own files");
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      if (Files.isDirectory(location)) {
        return new InitTemplates(null, location.resolve(FOLDER));
      }
      FileSystem jar = FileSystems.newFileSystem(location);
      return new InitTemplates(jar, jar.getPath("/" + FOLDER));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot open the plugin's own files: " + e.getMessage(), e);
    }
  }

  /** The folder holding {@code pipelines/} and {@code schema/}. */
  public Path root() {
    return root;
  }

  @Override
  public void close() {
    if (jar != null) {
      try {
        jar.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
