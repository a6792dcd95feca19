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
    List<FileEntriesLayer> layers = new ArrayList<>();
    layers.add(dependencies(request.dependencies()));
    layers.add(host(request.hostJar()));
    layers.add(directory("resources", request.resources(), RESOURCES, false));
    layers.add(directory("classes", request.classes(), CLASSES, true));
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

  private static FileEntriesLayer directory(
      String name, Path directory, String target, boolean required) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    if (directory == null || !Files.exists(directory)) {
      if (required) {
        throw new InvalidRequestException(
            name,
            "the " + name + " directory " + directory + " does not exist",
            "compile the function first (mvn package), or point the build at its " + name);
      }
      return layer.build();
    }
    if (!Files.isDirectory(directory)) {
      throw new InvalidRequestException(
          name, directory + " is not a directory", "point the build at the " + name + " directory");
    }
    // Sorted, so that the entry order (and with it the tar) never depends on the file system.
    try (Stream<Path> files = Files.walk(directory)) {
      files
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(
              file -> {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                layer.addEntry(entry(file, target + "/" + relative));
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    return layer.build();
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
