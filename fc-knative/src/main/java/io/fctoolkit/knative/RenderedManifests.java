package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The manifests of one environment: one YAML file per object plus a {@code kustomization.yaml}
 * listing them in apply order, and the findings (warnings) of the mapping.
 *
 * @param manifests the objects in apply order
 * @param findings what Knative expresses differently (warnings only; errors throw)
 */
public record RenderedManifests(List<Manifest> manifests, List<KnativeFinding> findings) {

  /** First line of every file the renderer writes; only such files are ever replaced or removed. */
  public static final String HEADER =
      "# Rendered by fc-toolkit from gitops/. Do not edit: change gitops/ and render again.";

  /**
   * One object.
   *
   * @param fileName {@code <kind>-<name>.yaml} in lower case
   * @param apiVersion the object's apiVersion
   * @param kind the object's kind
   * @param name the object's name
   * @param object the object as a map with sorted keys
   * @param yaml the file's full content, header included
   */
  public record Manifest(
      String fileName,
      String apiVersion,
      String kind,
      String name,
      Map<String, Object> object,
      String yaml) {
    public Manifest {
      requireNonNull(fileName, "fileName");
      requireNonNull(object, "object");
      requireNonNull(yaml, "yaml");
    }
  }

  public RenderedManifests {
    manifests = List.copyOf(manifests);
    findings = List.copyOf(findings);
  }

  /** The {@code kustomization.yaml} content listing every file in apply order. */
  public String kustomization() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    out.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
    out.append("kind: Kustomization\n");
    out.append("resources:\n");
    for (Manifest m : manifests) {
      out.append("  - ").append(m.fileName()).append('\n');
    }
    return out.toString();
  }

  /**
   * Writes every manifest and the kustomization into {@code dir} (created if missing) and removes
   * files this renderer wrote before that are no longer rendered; other files are left alone.
   *
   * @return the files written, in apply order, kustomization last
   */
  public List<Path> writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      Set<String> keep = new TreeSet<>();
      List<Path> written = new ArrayList<>();
      for (Manifest m : manifests) {
        keep.add(m.fileName());
        written.add(write(dir.resolve(m.fileName()), m.yaml()));
      }
      keep.add("kustomization.yaml");
      written.add(write(dir.resolve("kustomization.yaml"), kustomization()));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path stale :
            files
                .filter(p -> p.getFileName().toString().endsWith(".yaml"))
                .filter(p -> !keep.contains(p.getFileName().toString()))
                .toList()) {
          if (isRendered(stale)) {
            Files.delete(stale);
          }
        }
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rendered manifests to " + dir, e);
    }
  }

  private static Path write(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      return file; // unchanged: keep the timestamp, so file watchers see no change
    }
    return Files.write(file, bytes);
  }

  private static boolean isRendered(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.findFirst().map(HEADER::equals).orElse(false);
    }
  }
}
