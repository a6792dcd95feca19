package io.fctoolkit.core.image.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.image.BuiltImage;
import io.fctoolkit.core.image.BuiltLayer;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes and reads {@code build.json}: the digest of the last build and everything that went into
 * it, so users and tools (deploy's "build if needed") can see what an image holds without unpacking
 * it. It holds no times or credentials, so the same build writes the same file.
 */
public final class BuildJson {

  /** The file's name inside the output directory. */
  public static final String FILE_NAME = "build.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BuildJson() {}

  /** Writes the file atomically (temporary file, then rename). */
  public static void write(
      Path file,
      ImageBuildRequest request,
      BuiltImage image,
      List<String> entrypoint,
      Map<String, String> environment,
      Map<String, String> labels,
      LayerPlan plan,
      String inputsFingerprint)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("function", request.function());
    root.put("handler", request.handler());
    root.put("image", image.reference().toString());
    root.put("digest", image.digest());
    root.put("imageId", image.imageId());
    ObjectNode target = root.putObject("target");
    if (request.target() instanceof ImageTarget.Archive archive) {
      target.put("type", "archive");
      target.put("path", archive.tarball().toAbsolutePath().toString());
      target.put("name", archive.image().toString());
    } else if (request.target() instanceof ImageTarget.Registry registry) {
      target.put("type", "registry");
      target.put("image", registry.image().toString());
      target.put("insecure", registry.insecure());
    }
    root.put("baseImage", request.effectiveBaseImage());
    root.put("creationTime", request.creationTime().toString());
    root.put("tool", "fc-toolkit:" + request.toolVersion());
    ArrayNode entry = root.putArray("entrypoint");
    entrypoint.forEach(entry::add);
    ObjectNode env = root.putObject("environment");
    environment.forEach(env::put);
    ObjectNode labelNode = root.putObject("labels");
    labels.forEach(labelNode::put);
    ArrayNode layers = root.putArray("layers");
    Map<String, Integer> counts = plan.fileCounts();
    for (BuiltLayer layer : image.layers()) {
      ObjectNode node = layers.addObject();
      node.put("name", layer.name());
      node.put("digest", layer.digest());
      node.put("diffId", layer.diffId());
      node.put("size", layer.size());
      if (counts.containsKey(layer.name())) {
        node.put("files", counts.get(layer.name()));
      }
    }
    ObjectNode inputs = root.putObject("inputs");
    inputs.put("fingerprint", inputsFingerprint);
    inputs.put("classes", request.classes().toAbsolutePath().toString());
    if (request.resources() != null) {
      inputs.put("resources", request.resources().toAbsolutePath().toString());
    }
    inputs.put("hostJar", request.hostJar().toAbsolutePath().toString());
    ArrayNode deps = inputs.putArray("dependencies");
    request.dependencies().stream()
        .map(path -> path.getFileName().toString())
        .sorted()
        .distinct()
        .forEach(deps::add);

    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(temporary.toFile(), root);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The digest and inputs fingerprint recorded in a {@code build.json}, if it is readable. */
  public static Optional<Recorded> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
      return Optional.of(
          new Recorded(
              root.path("digest").asText(),
              root.path("image").asText(),
              root.path("inputs").path("fingerprint").asText()));
    } catch (IOException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** What a previous build recorded. */
  public record Recorded(String digest, String image, String inputsFingerprint) {}
}
