package io.fctoolkit.core.image.internal;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.fctoolkit.core.Hashes;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.image.ImageBuildRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The function's four application layers as jib file entries, in image order: dependencies, host,
 * resources, classes (least to most often changed, so a code change rebuilds only the last one).
 */
public final class LayerPlan {

  /** Every file in the image gets this time, so file times never change a digest (Jib's choice). */
  static final Instant FILE_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

  public static final String LIBS = "/app/libs";
  public static final String HOST_JAR = "/app/host/fc-host.jar";
  public static final String RESOURCES = "/app/resources";
  public static final String CLASSES = "/app/classes";

  private final List<FileEntriesLayer> layers;

  private LayerPlan(List<FileEntriesLayer> layers) {
    this.layers = List.copyOf(layers);
  }

  /**
   * Checks the request's files and lays them out.
   *
   * @throws InvalidRequestException naming the field when a file is missing or names collide
   */
  public static LayerPlan of(ImageBuildRequest request) {
    requireDirectory("classes", request.classes());
    List<FileEntriesLayer> layers = new ArrayList<>();
    layers.add(dependencies(request.dependencies()));
    layers.add(host(request.hostJar()));
    // As Jib does: the build output's .class files are classes, everything else in it (Maven copies
    // resources there) is a resource; an extra resources directory adds to the resources layer.
    FileEntriesLayer.Builder resources = FileEntriesLayer.builder().setName("resources");
    Map<String, Path> resourceTargets = new HashMap<>();
    addFiles(resources, resourceTargets, request.classes(), RESOURCES, file -> !isClass(file));
    Path extra = request.resources();
    if (extra != null && Files.exists(extra) && !isSame(extra, request.classes())) {
      requireDirectory("resources", extra);
      addFiles(resources, resourceTargets, extra, RESOURCES, file -> true);
    }
    layers.add(resources.build());
    FileEntriesLayer.Builder classes = FileEntriesLayer.builder().setName("classes");
    addFiles(classes, new HashMap<>(), request.classes(), CLASSES, LayerPlan::isClass);
    layers.add(classes.build());
    return new LayerPlan(layers);
  }

  /** All layers, including empty ones (jib leaves empty layers out of the image). */
  public List<FileEntriesLayer> layers() {
    return layers;
  }

  /** The layers jib will put in the image. */
  public List<FileEntriesLayer> nonEmptyLayers() {
    return layers.stream().filter(layer -> !layer.getEntries().isEmpty()).toList();
  }

  /** How many files each layer holds, by layer name. */
  public Map<String, Integer> fileCounts() {
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    layers.forEach(layer -> counts.put(layer.getName(), layer.getEntries().size()));
    return counts;
  }

  /**
   * A cheap fingerprint of the inputs: every entry's path in the image, its source's size and
   * modification time. Equal fingerprints mean the files did not change (the test Jib's own layer
   * cache uses), so a caller may skip a rebuild.
   */
  public String inputsFingerprint(String... extra) {
    StringBuilder canonical = new StringBuilder();
    for (String value : extra) {
      canonical.append(value).append('\n');
    }
    for (FileEntriesLayer layer : layers) {
      canonical.append("layer ").append(layer.getName()).append('\n');
      for (FileEntry entry : layer.getEntries()) {
        Path source = entry.getSourceFile();
        try {
          canonical
              .append(entry.getExtractionPath())
              .append(' ')
              .append(Files.size(source))
              .append(' ')
              .append(Files.getLastModifiedTime(source).toInstant())
              .append('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return Hashes.sha256(canonical.toString());
  }

  private static FileEntriesLayer dependencies(List<Path> jars) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("dependencies");
    Map<String, Path> byName = new HashMap<>();
    List<Path> sorted = new ArrayList<>(jars);
    sorted.sort(Comparator.comparing(path -> path.getFileName().toString()));
    for (Path jar : sorted) {
      if (!Files.isRegularFile(jar)) {
        throw new InvalidRequestException(
            "dependencies",
            "dependency " + jar + " is not a file",
            "build the project first (mvn package) so that its dependencies are resolved");
      }
      String name = jar.getFileName().toString();
      Path other = byName.putIfAbsent(name, jar);
      if (other != null) {
        if (sameContent(other, jar)) {
          continue;
        }
        throw new InvalidRequestException(
            "dependencies",
            "two different dependencies are both named "
                + name
                + " ("
                + other
                + " and "
                + jar
                + ") and would overwrite each other in "
                + LIBS,
            "exclude one of them from the project's dependencies");
      }
      layer.addEntry(entry(jar, LIBS + "/" + name));
    }
    return layer.build();
  }

  private static FileEntriesLayer host(Path hostJar) {
    if (!Files.isRegularFile(hostJar)) {
      throw new InvalidRequestException(
          "hostJar",
          "the fc-host jar " + hostJar + " is not a file",
          "check that io.fctoolkit:fc-host resolves (it comes with the plugin)");
    }
    return FileEntriesLayer.builder().setName("host").addEntry(entry(hostJar, HOST_JAR)).build();
  }

  private static void requireDirectory(String field, Path directory) {
    if (!Files.exists(directory)) {
      throw new InvalidRequestException(
          field,
          "the " + field + " directory " + directory + " does not exist",
          "compile the function first (mvn package), or point the build at its " + field);
    }
    if (!Files.isDirectory(directory)) {
      throw new InvalidRequestException(
          field,
          directory + " is not a directory",
          "point the build at the " + field + " directory");
    }
  }

  private static void addFiles(
      FileEntriesLayer.Builder layer,
      Map<String, Path> targets,
      Path directory,
      String target,
      java.util.function.Predicate<Path> include) {
    // Sorted, so that the entry order (and with it the tar) never depends on the file system.
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).filter(include).sorted().toList()) {
        String path = target + "/" + directory.relativize(file).toString().replace('\\', '/');
        Path other = targets.putIfAbsent(path, file);
        if (other != null) {
          throw new InvalidRequestException(
              "resources",
              "both " + other + " and " + file + " would become " + path,
              "remove one of them, or do not name the build output as an extra resources"
                  + " directory");
        }
        layer.addEntry(entry(file, path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private static boolean isClass(Path file) {
    return file.getFileName().toString().endsWith(".class");
  }

  private static boolean isSame(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private static FileEntry entry(Path source, String target) {
    return new FileEntry(
        source, AbsoluteUnixPath.get(target), FilePermissions.DEFAULT_FILE_PERMISSIONS, FILE_TIME);
  }

  private static boolean sameContent(Path a, Path b) {
    try {
      return Files.mismatch(a, b) == -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
