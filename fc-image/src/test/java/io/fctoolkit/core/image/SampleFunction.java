package io.fctoolkit.core.image;

import io.fctoolkit.core.ImageRef;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** The files of a small function project on disk: classes, resources, two jars and a host jar. */
final class SampleFunction {

  static final String NAME = "hello";
  static final String HANDLER = "com.example.Hello";

  final Path root;
  final Path classes;
  final Path resources;
  final Path hostJar;
  final List<Path> dependencies;

  SampleFunction(Path root) throws IOException {
    this.root = root;
    classes = root.resolve("target/classes");
    resources = root.resolve("src/main/resources");
    write(classes.resolve("com/example/Hello.class"), "not really bytecode");
    write(classes.resolve("com/example/Hello$Inner.class"), "inner");
    write(classes.resolve("META-INF/services/x.Y"), "com.example.Hello\n");
    write(resources.resolve("messages.properties"), "greeting=hello\n");
    write(resources.resolve("static/index.html"), "<p>hi</p>\n");
    hostJar = jar(root.resolve("host/fc-host-0.1.0.jar"), "io/fctoolkit/host/FcHost.class", "host");
    dependencies =
        List.of(
            jar(
                root.resolve("repo/functions-framework-api-2.0.0.jar"),
                "com/google/Api.class",
                "a"),
            jar(root.resolve("repo/gson-2.13.jar"), "com/google/gson/Gson.class", "g"));
  }

  ImageBuildRequest.Builder request(Path output) {
    return ImageBuildRequest.builder(NAME, HANDLER)
        .classes(classes)
        .resources(resources)
        .dependencies(dependencies)
        .hostJar(hostJar)
        .outputDirectory(output)
        .baseImageCache(root.resolve("base-cache"))
        .toolVersion("test");
  }

  ImageBuildRequest archiveRequest(Path output) {
    return request(output)
        .target(new ImageTarget.Archive(output.resolve("image.tar"), ImageRef.parse(NAME)))
        .build();
  }

  /** Sets every input's modification time to {@code time}, as a fresh checkout would. */
  void touchAll(Instant time) throws IOException {
    try (var files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(file, FileTime.from(time));
      }
    }
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static Path jar(Path file, String entry, String content) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out)) {
      JarEntry jarEntry = new JarEntry(entry);
      jarEntry.setTime(0);
      jar.putNextEntry(jarEntry);
      jar.write(content.getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return file;
  }
}
