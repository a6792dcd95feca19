package io.fctoolkit.core.image;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FunctionConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What goes into a function image and where it goes.
 *
 * <p>Everything here is an input of the image digest except {@code outputDirectory}, {@code
 * baseImageCache} and {@code offline}: the same request on the same files gives the same digest.
 *
 * @param function the function's name (label {@code io.fctoolkit.function})
 * @param handler the function class (env {@code FUNCTION_TARGET}, label {@code
 *     io.fctoolkit.handler})
 * @param classes the build output directory: its {@code .class} files form the classes layer
 *     ({@code /app/classes}), its other files (resources Maven copied there) the resources layer
 *     ({@code /app/resources}), as in Jib
 * @param resources an extra resources directory added to the resources layer, or {@code null} (the
 *     usual case: Maven copies resources into the build output)
 * @param dependencies runtime dependency jars, including {@code functions-framework-api} (layer
 *     {@code /app/libs}); file names must be unique
 * @param hostJar the {@code fc-host} jar (layer {@code /app/host/fc-host.jar})
 * @param baseImage {@value FunctionImageBuilder#SCRATCH} or an image reference; {@code null} picks
 *     {@link FunctionImageBuilder#defaultBaseImage(ImageTarget)}
 * @param target where the image goes
 * @param creationTime the image's creation time; fixed so that builds are reproducible
 * @param outputDirectory where {@code build.json} and the application layer cache go, e.g. {@code
 *     target/fc}
 * @param baseImageCache where pulled base image layers are cached, or {@code null} for jib's
 *     default in the user's cache directory
 * @param offline whether to fail instead of contacting a registry for the base image
 * @param toolVersion the fc-toolkit version recorded in the image history
 */
public record ImageBuildRequest(
    String function,
    String handler,
    Path classes,
    Path resources,
    List<Path> dependencies,
    Path hostJar,
    String baseImage,
    ImageTarget target,
    Instant creationTime,
    Path outputDirectory,
    Path baseImageCache,
    boolean offline,
    String toolVersion) {

  /** The default creation time: the epoch, as Jib does, so time never changes a digest. */
  public static final Instant DEFAULT_CREATION_TIME = Instant.EPOCH;

  public ImageBuildRequest {
    requireNonNull(function, "function");
    requireNonNull(handler, "handler");
    requireNonNull(classes, "classes");
    requireNonNull(hostJar, "hostJar");
    requireNonNull(target, "target");
    requireNonNull(creationTime, "creationTime");
    requireNonNull(outputDirectory, "outputDirectory");
    requireNonNull(toolVersion, "toolVersion");
    FunctionConfig.checkName(function);
    dependencies = List.copyOf(dependencies);
    if (baseImage != null && baseImage.isBlank()) {
      baseImage = null;
    }
  }

  /** The base image this request builds on, after applying the default for its target. */
  public String effectiveBaseImage() {
    return baseImage != null ? baseImage : FunctionImageBuilder.defaultBaseImage(target);
  }

  public static Builder builder(String function, String handler) {
    return new Builder(function, handler);
  }

  /** Builds an {@link ImageBuildRequest}; the defaults suit a local archive build. */
  public static final class Builder {
    private final String function;
    private final String handler;
    private Path classes;
    private Path resources;
    private List<Path> dependencies = List.of();
    private Path hostJar;
    private String baseImage;
    private ImageTarget target;
    private Instant creationTime = DEFAULT_CREATION_TIME;
    private Path outputDirectory;
    private Path baseImageCache;
    private boolean offline;
    private String toolVersion = "dev";

    private Builder(String function, String handler) {
      this.function = function;
      this.handler = handler;
    }

    public Builder classes(Path classes) {
      this.classes = classes;
      return this;
    }

    public Builder resources(Path resources) {
      this.resources = resources;
      return this;
    }

    public Builder dependencies(List<Path> dependencies) {
      this.dependencies = dependencies;
      return this;
    }

    public Builder hostJar(Path hostJar) {
      this.hostJar = hostJar;
      return this;
    }

    public Builder baseImage(String baseImage) {
      this.baseImage = baseImage;
      return this;
    }

    public Builder target(ImageTarget target) {
      this.target = target;
      return this;
    }

    public Builder creationTime(Instant creationTime) {
      this.creationTime = creationTime;
      return this;
    }

    public Builder outputDirectory(Path outputDirectory) {
      this.outputDirectory = outputDirectory;
      return this;
    }

    public Builder baseImageCache(Path baseImageCache) {
      this.baseImageCache = baseImageCache;
      return this;
    }

    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    public Builder toolVersion(String toolVersion) {
      this.toolVersion = toolVersion;
      return this;
    }

    public ImageBuildRequest build() {
      return new ImageBuildRequest(
          function,
          handler,
          classes,
          resources,
          dependencies,
          hostJar,
          baseImage,
          target,
          creationTime,
          outputDirectory,
          baseImageCache,
          offline,
          toolVersion);
    }
  }
}
