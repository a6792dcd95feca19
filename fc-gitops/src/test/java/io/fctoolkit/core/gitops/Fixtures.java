package io.fctoolkit.core.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies the valid gitops fixture into a directory and edits its files in tests. */
final class Fixtures {

  static final String D1 =
      "sha256:82f3e9c695dc6b8d1b11818d5701919e286de8d47f7c3eb3100c485f79e57828";
  static final String D2 =
      "sha256:db77fd01af957221a4989b64b3770a83a3c56068405b9f0e9408feae57fd17e4";
  static final String D3 =
      "sha256:e49d63b2a8a78f048bafc4b4590029603a5a4165ee8bf98af15d62f24cd83479";
  static final String PROD = "environments/prod/environment.yaml";
  static final String DEV = "environments/dev/environment.yaml";
  static final String GRADER = "functions/grader.yaml";

  private Fixtures() {}

  static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/gitops/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies the valid fixture into {@code target} (which becomes a gitops root). */
  static Path copyValid(Path target) {
    Path source = resource("valid");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  static String read(Path root, String file) {
    try {
      return Files.readString(root.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path root, String file, String text) {
    try {
      Files.createDirectories(root.resolve(file).getParent());
      Files.writeString(root.resolve(file), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces {@code from} (which must occur) by {@code to} in a file. */
  static void replace(Path root, String file, String from, String to) {
    String text = read(root, file);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(file + " does not contain: " + from);
    }
    write(root, file, text.replace(from, to));
  }
}
