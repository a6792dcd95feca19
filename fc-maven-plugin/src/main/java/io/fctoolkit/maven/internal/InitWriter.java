package io.fctoolkit.maven.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes {@code fc:init}'s files into a project folder, never over a file silently: a file that
 * exists with other content is kept (or, with {@code force}, overwritten and reported as such); one
 * that exists with the same content is left alone.
 */
public final class InitWriter {

  /** What happened to one file. */
  public enum Outcome {
    WRITTEN,
    OVERWRITTEN,
    UNCHANGED,
    KEPT
  }

  /** One file's outcome, by its project path. */
  public record Entry(String path, Outcome outcome) {}

  private InitWriter() {}

  /**
   * Writes {@code files} under {@code root}.
   *
   * @param force overwrite files that exist with other content
   */
  public static List<Entry> write(Path root, List<InitFile> files, boolean force) {
    List<Entry> entries = new ArrayList<>();
    Path top = root.toAbsolutePath().normalize();
    for (InitFile file : files) {
      Path target = top.resolve(file.path()).normalize();
      if (!target.startsWith(top)) {
        throw new IllegalArgumentException(file.path() + " is outside " + top);
      }
      try {
        Outcome outcome;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          boolean same =
              Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                  && Arrays.equals(Files.readAllBytes(target), file.content());
          if (same) {
            outcome = Outcome.UNCHANGED;
          } else if (force) {
            Files.write(target, file.content());
            outcome = Outcome.OVERWRITTEN;
          } else {
            outcome = Outcome.KEPT;
          }
        } else {
          Files.createDirectories(target.getParent());
          Files.write(target, file.content());
          outcome = Outcome.WRITTEN;
        }
        if (file.executable() && outcome != Outcome.KEPT) {
          makeExecutable(target);
        }
        entries.add(new Entry(file.path(), outcome));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }

  private static void makeExecutable(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return; // Windows: Git keeps the mode it is told with git update-index --chmod=+x
    }
    Set<PosixFilePermission> permissions = EnumSet.copyOf(view.readAttributes().permissions());
    permissions.add(PosixFilePermission.OWNER_EXECUTE);
    if (permissions.contains(PosixFilePermission.GROUP_READ)) {
      permissions.add(PosixFilePermission.GROUP_EXECUTE);
    }
    if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
      permissions.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    view.setPermissions(permissions);
  }
}
