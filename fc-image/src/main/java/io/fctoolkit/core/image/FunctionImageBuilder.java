package io.fctoolkit.core.image;

import static java.util.Objects.requireNonNull;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.cache.CacheCorruptedException;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.image.internal.BuildJson;
import io.fctoolkit.core.image.internal.JibErrors;
import io.fctoolkit.core.image.internal.JibEvents;
import io.fctoolkit.core.image.internal.LayerInspector;
import io.fctoolkit.core.image.internal.LayerPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Builds a function's OCI image with jib-core: no Docker daemon, and the same inputs always give
 * the same digest.
 *
 * <p>The layout is the one in {@code docs/architecture.md} section 4: layers for dependencies
 * ({@code /app/libs}), the host ({@code /app/host/fc-host.jar}), resources ({@code /app/resources})
 * and classes ({@code /app/classes}), ordered from least to most often changed; the entrypoint runs
 * {@code fc-host} with {@code FUNCTION_TARGET} set to the handler. Every file gets the same fixed
 * time and permissions and the image a fixed creation time, so nothing but content reaches the
 * digest.
 */
public final class FunctionImageBuilder {

  /** The base image name that means "no base image": only the function's layers. */
  public static final String SCRATCH = "scratch";

  /**
   * The default base image of registry builds: a Temurin 17 JRE pinned by digest, so that a rebuild
   * never picks up a different JRE silently. (The multi-platform index digest as published on
   * Docker Hub; jib picks linux/amd64 from it.)
   */
  public static final String DEFAULT_REGISTRY_BASE_IMAGE =
      "eclipse-temurin:17-jre@sha256:13cc28a6cc72a38ce1f00c906be3580c1a3e604b8984d694f369a96742abc93b";

  /** The host's main class, the image's entry point. */
  public static final String HOST_MAIN_CLASS = "io.fctoolkit.host.FcHost";

  /** The classpath the entrypoint runs, in this order. */
  public static final String CLASSPATH = "/app/host/*:/app/libs/*:/app/resources:/app/classes";

  /** Label holding the function's name. */
  public static final String LABEL_FUNCTION = "io.fctoolkit.function";

  /** Label holding the handler class. */
  public static final String LABEL_HANDLER = "io.fctoolkit.handler";

  /** The environment variable naming the function class (the name Google's invoker uses). */
  public static final String FUNCTION_TARGET = "FUNCTION_TARGET";

  private final Consumer<FcEvent> events;

  /**
   * @param events where progress and jib's log go
   */
  public FunctionImageBuilder(Consumer<FcEvent> events) {
    this.events = requireNonNull(events, "events");
  }

  /**
   * The base image used when a request names none: {@value #SCRATCH} for archives, because the
   * local runtime runs the classpath with a local JDK and never unpacks a base image; {@link
   * #DEFAULT_REGISTRY_BASE_IMAGE} for registries, because a cluster runs the image as it is.
   */
  public static String defaultBaseImage(ImageTarget target) {
    return target instanceof ImageTarget.Archive ? SCRATCH : DEFAULT_REGISTRY_BASE_IMAGE;
  }

  /** The image's entrypoint. */
  public static List<String> entrypoint() {
    return List.of("java", "-cp", CLASSPATH, HOST_MAIN_CLASS);
  }

  /**
   * Builds the image and writes {@code build.json} to the request's output directory.
   *
   * @throws InvalidRequestException when an input is missing or malformed (names the field)
   * @throws RegistryUnavailableException when a registry cannot be reached
   * @throws RegistryAuthenticationException when a registry refuses access
   * @throws ImageBuildException for any other failure
   */
  public BuiltImage build(ImageBuildRequest request) {
    long started = System.nanoTime();
    String baseImage = request.effectiveBaseImage();
    LayerPlan plan = LayerPlan.of(request);
    Map<String, String> environment = Map.of(FUNCTION_TARGET, request.handler());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_FUNCTION, request.function());
    labels.put(LABEL_HANDLER, request.handler());
    String fingerprint = fingerprint(request, plan);

    events.accept(
        FcEvent.lifecycle(
            "Building image of "
                + request.function()
                + " on "
                + baseImage
                + " -> "
                + describe(request.target())));
    Path applicationCache = request.outputDirectory().resolve("jib-cache");
    JibContainer container;
    // Our own executor, so that no jib task is still writing to the cache after build() returns,
    // also when it fails (jib would otherwise leave its own pool running).
    ExecutorService executor = Executors.newCachedThreadPool(FunctionImageBuilder::jibThread);
    try {
      JibContainerBuilder builder =
          base(request, baseImage)
              .setFileEntriesLayers(plan.nonEmptyLayers())
              .setEntrypoint(entrypoint())
              .setProgramArguments(List.of())
              .setCreationTime(request.creationTime())
              .setFormat(ImageFormat.OCI)
              .setLabels(labels);
      environment.forEach(builder::addEnvironmentVariable);
      Containerizer containerizer =
          containerizer(request)
              .setToolName("fc-toolkit")
              .setToolVersion(request.toolVersion())
              .setOfflineMode(request.offline())
              .setApplicationLayersCache(applicationCache)
              .setExecutorService(executor)
              .addEventHandler(new JibEvents(events, "Building image"));
      if (request.baseImageCache() != null) {
        containerizer.setBaseImageLayersCache(request.baseImageCache());
      }
      if (request.target() instanceof ImageTarget.Archive archive) {
        Files.createDirectories(archive.tarball().toAbsolutePath().getParent());
      }
      container = builder.containerize(containerizer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("the image build was interrupted", null, e);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidRequestException(
          "baseImage",
          "'" + baseImage + "' is not an image reference: " + e.getMessage(),
          "name a base image like eclipse-temurin:17-jre@sha256:..., or " + SCRATCH);
    } catch (RegistryException
        | IOException
        | CacheDirectoryCreationException
        | ExecutionException
        | RuntimeException e) {
      if (e instanceof FcException fc) {
        throw fc;
      }
      throw JibErrors.map(e, registryOf(request.target()), baseImage, request.offline());
    } finally {
      stop(executor);
    }

    List<BuiltLayer> layers = new ArrayList<>();
    try {
      if (!SCRATCH.equals(baseImage)) {
        layers.addAll(LayerInspector.baseLayers(baseCache(request), baseImage));
      }
      layers.addAll(LayerInspector.applicationLayers(applicationCache, plan));
    } catch (IOException | CacheDirectoryCreationException | CacheCorruptedException e) {
      throw new ImageBuildException(
          "the image was built but its layers cannot be read back from " + applicationCache,
          "delete " + applicationCache + " and build again",
          e);
    }
    String digest = container.getDigest().toString();
    ImageRef reference = ImageRef.byDigest(request.target().image().repository(), digest);
    Path buildJson = request.outputDirectory().resolve(BuildJson.FILE_NAME);
    BuiltImage image =
        new BuiltImage(
            reference,
            digest,
            container.getImageId().toString(),
            layers,
            request.target(),
            buildJson,
            Duration.ofNanos(System.nanoTime() - started));
    try {
      BuildJson.write(
          buildJson, request, image, entrypoint(), environment, labels, plan, fingerprint);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write " + buildJson, "check that the build directory is writable", e);
    }
    events.accept(
        FcEvent.lifecycle(
            "Built "
                + reference
                + " ("
                + image.layers().size()
                + " layers, "
                + Sizes.human(image.applicationSize())
                + " of function layers) in "
                + image.elapsed().toMillis()
                + " ms"));
    return image;
  }

  /**
   * The digest of a previous build of exactly this request, if {@code build.json} records one with
   * the same inputs and, for an archive, the archive is still there. Lets a deploy skip a build
   * when nothing changed; it compares file sizes and times as Jib's layer cache does.
   */
  public Optional<String> upToDateDigest(ImageBuildRequest request) {
    Path buildJson = request.outputDirectory().resolve(BuildJson.FILE_NAME);
    Optional<BuildJson.Recorded> recorded = BuildJson.read(buildJson);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    if (request.target() instanceof ImageTarget.Archive archive
        && !Files.isRegularFile(archive.tarball())) {
      return Optional.empty();
    }
    try {
      String fingerprint = fingerprint(request, LayerPlan.of(request));
      return fingerprint.equals(recorded.get().inputsFingerprint())
          ? Optional.of(recorded.get().digest())
          : Optional.empty();
    } catch (InvalidRequestException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static Thread jibThread(Runnable task) {
    Thread thread = new Thread(task, "fc-image-build");
    thread.setDaemon(true);
    return thread;
  }

  private static void stop(ExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static String fingerprint(ImageBuildRequest request, LayerPlan plan) {
    return plan.inputsFingerprint(
        "function=" + request.function(),
        "handler=" + request.handler(),
        "base=" + request.effectiveBaseImage(),
        "target=" + describe(request.target()),
        "created=" + request.creationTime(),
        "tool=" + request.toolVersion());
  }

  private static JibContainerBuilder base(ImageBuildRequest request, String baseImage)
      throws InvalidImageReferenceException {
    if (SCRATCH.equals(baseImage)) {
      return Jib.fromScratch();
    }
    RegistryImage base = RegistryImage.named(ImageReference.parse(baseImage));
    CredentialRetrieverFactory credentials =
        CredentialRetrieverFactory.forImage(ImageReference.parse(baseImage), log -> {});
    base.addCredentialRetriever(credentials.dockerConfig());
    base.addCredentialRetriever(credentials.wellKnownCredentialHelpers());
    return Jib.from(base);
  }

  private static Containerizer containerizer(ImageBuildRequest request)
      throws InvalidImageReferenceException {
    ImageTarget target = request.target();
    ImageReference name = ImageReference.parse(target.image().toString());
    if (target instanceof ImageTarget.Archive archive) {
      return Containerizer.to(TarImage.at(archive.tarball()).named(name));
    }
    ImageTarget.Registry registry = (ImageTarget.Registry) target;
    RegistryImage image = RegistryImage.named(name);
    if (registry.credentials() != null) {
      image.addCredential(registry.credentials().username(), registry.credentials().password());
    } else {
      CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(name, log -> {});
      image.addCredentialRetriever(credentials.dockerConfig());
      image.addCredentialRetriever(credentials.wellKnownCredentialHelpers());
    }
    // Plain HTTP only when asked for; jib still never sends credentials over it unless the
    // sendCredentialsOverHttp system property is set, which fc-toolkit never does.
    return Containerizer.to(image).setAllowInsecureRegistries(registry.insecure());
  }

  private static Path baseCache(ImageBuildRequest request) {
    return request.baseImageCache() != null
        ? request.baseImageCache()
        : Containerizer.DEFAULT_BASE_CACHE_DIRECTORY;
  }

  private static String registryOf(ImageTarget target) {
    if (target instanceof ImageTarget.Registry registry) {
      String repository = registry.image().repository();
      int slash = repository.indexOf('/');
      return slash > 0 ? repository.substring(0, slash) : "registry-1.docker.io";
    }
    return null;
  }

  private static String describe(ImageTarget target) {
    if (target instanceof ImageTarget.Archive archive) {
      return archive.tarball().toString();
    }
    ImageTarget.Registry registry = (ImageTarget.Registry) target;
    return registry.image() + (registry.insecure() ? " (insecure registry allowed)" : "");
  }
}
