package io.fctoolkit.maven.internal;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.core.image.RegistryCredentials;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Turns the image parameters and the project into an {@link ImageBuildRequest}: no Maven here. */
public final class ImageRequests {

  private ImageRequests() {}

  /**
   * @param settings the parameters as set
   * @param project the project and the plugin's own artifacts
   * @param credentials credentials for a registry host (from Maven's settings.xml servers), or null
   * @throws io.fctoolkit.core.InvalidRequestException naming the parameter on a mistake
   */
  public static ImageBuildRequest from(
      ImageSettings settings,
      ProjectLayout project,
      Function<String, RegistryCredentials> credentials) {
    String function = functionName(settings.function(), project.artifactId());
    String handler = handler(settings.handler());
    Path output =
        settings.outputDirectory() != null
            ? settings.outputDirectory()
            : project.buildDirectory().resolve("fc");
    return ImageBuildRequest.builder(function, handler)
        .classes(project.outputDirectory())
        .dependencies(dependencies(project))
        .hostJar(project.hostJar())
        .baseImage(blankToNull(settings.fromImage()))
        .target(target(settings, function, output, credentials))
        .creationTime(creationTime(settings.creationTime()))
        .outputDirectory(output)
        .baseImageCache(settings.baseImageCache())
        .offline(project.offline())
        .toolVersion(project.pluginVersion())
        .build();
  }

  /** The function's name: {@code <function>}, else the artifact id. */
  public static String functionName(String configured, String artifactId) {
    String name = blankToNull(configured);
    if (name == null) {
      try {
        FunctionConfig.checkName(artifactId);
        return artifactId;
      } catch (IllegalArgumentException e) {
        throw Hints.invalidRequest(
            "function",
            artifactId,
            "the artifact id is not a valid function name, so the function needs a name: "
                + e.getMessage());
      }
    }
    try {
      FunctionConfig.checkName(name);
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("function", name, e.getMessage());
    }
    return name;
  }

  private static String handler(String configured) {
    String handler = blankToNull(configured);
    if (handler == null) {
      throw Hints.missingRequest("handler", "handler (the function class, run as FUNCTION_TARGET)");
    }
    if (!handler.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
      throw Hints.invalidRequest(
          "handler",
          handler,
          "a handler is a fully qualified class name such as com.example.Hello");
    }
    return handler;
  }

  private static ImageTarget target(
      ImageSettings settings,
      String function,
      Path output,
      Function<String, RegistryCredentials> credentials) {
    String image = blankToNull(settings.image());
    if (image == null) {
      Path archive = settings.archive() != null ? settings.archive() : output.resolve("image.tar");
      return new ImageTarget.Archive(archive, ImageRef.parse(function));
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("image", image, e.getMessage());
    }
    if (ref.isPinned()) {
      throw Hints.invalidRequest(
          "image",
          image,
          "the target image names a repository and tag; its digest is what fc:build produces");
    }
    String host = registryHost(ref);
    boolean insecure = settings.allowInsecureRegistries() || isLoopback(host);
    return new ImageTarget.Registry(ref, insecure, credentials.apply(host));
  }

  /**
   * Jars for {@code /app/libs}: the project's runtime jars, plus the host's own dependencies the
   * project does not have (a function usually has {@code functions-framework-api} as provided).
   */
  static List<Path> dependencies(ProjectLayout project) {
    List<Path> jars = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Dependency dependency : project.runtimeDependencies()) {
      jars.add(dependency.file());
      keys.add(dependency.key());
    }
    for (Dependency dependency : project.hostDependencies()) {
      if (keys.add(dependency.key())) {
        jars.add(dependency.file());
      }
    }
    return jars;
  }

  /**
   * Whether a jar of the plugin's own dependencies belongs in the image for the host: the Functions
   * Framework API itself and everything the API depends on (such as {@code
   * io.cloudevents:cloudevents-api}), found through the jar's dependency trail. The project usually
   * has the API as {@code provided}, so these jars are not among its runtime jars, yet the host
   * needs them to serve the function.
   *
   * @param key {@code groupId:artifactId} of the jar
   * @param trail Maven's dependency trail of the jar ({@code groupId:artifactId:type:version}
   *     entries from the plugin down to the jar); may be null
   * @param apiKey {@code groupId:artifactId} of the API
   */
  public static boolean isHostDependency(String key, List<String> trail, String apiKey) {
    if (key.equals(apiKey)) {
      return true;
    }
    if (trail == null) {
      return false;
    }
    for (int i = 0; i < trail.size() - 1; i++) { // the last entry is the jar itself
      if (trail.get(i).startsWith(apiKey + ":")) {
        return true;
      }
    }
    return false;
  }

  /** {@code EPOCH} (the default), an ISO-8601 instant, or seconds since the epoch. */
  static Instant creationTime(String configured) {
    String value = blankToNull(configured);
    if (value == null || value.equalsIgnoreCase("EPOCH")) {
      return ImageBuildRequest.DEFAULT_CREATION_TIME;
    }
    try {
      return value.chars().allMatch(Character::isDigit)
          ? Instant.ofEpochSecond(Long.parseLong(value))
          : Instant.parse(value);
    } catch (DateTimeException | NumberFormatException e) {
      throw Hints.invalidRequest(
          "creationTime",
          value,
          "expected EPOCH, an ISO-8601 instant such as 2026-01-01T00:00:00Z, or seconds since the"
              + " epoch");
    }
  }

  /** The registry part of an image reference, Docker Hub when there is none. */
  public static String registryHost(ImageRef ref) {
    String repository = ref.repository();
    int slash = repository.indexOf('/');
    if (slash > 0) {
      String first = repository.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return first;
      }
    }
    return "registry-1.docker.io";
  }

  /** Loopback registries are treated as insecure automatically, as Docker does. */
  static boolean isLoopback(String host) {
    String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host;
    int colon = name.lastIndexOf(':');
    if (colon > 0 && !name.endsWith("]")) {
      name = name.substring(0, colon);
    }
    return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
  }

  /** The default base for the target, for display. */
  public static String effectiveBase(ImageBuildRequest request) {
    return request.baseImage() != null
        ? request.baseImage()
        : FunctionImageBuilder.defaultBaseImage(request.target());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
