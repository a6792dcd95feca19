package io.fctoolkit.core.image;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A built function image.
 *
 * @param reference the image pinned by digest, e.g. {@code 127.0.0.1:5000/grader@sha256:...}
 * @param digest the manifest digest, {@code sha256:...}: the image's identity
 * @param imageId the digest of the image configuration (what {@code docker images} shows)
 * @param layers the image's layers, base layers first, as far as they are known (base layers of a
 *     registry base image are listed when jib's base image cache holds its manifest)
 * @param target where the image went
 * @param buildJson the {@code build.json} written next to the build
 * @param elapsed how long the build took
 */
public record BuiltImage(
    ImageRef reference,
    String digest,
    String imageId,
    List<BuiltLayer> layers,
    ImageTarget target,
    Path buildJson,
    Duration elapsed) {

  public BuiltImage {
    requireNonNull(reference, "reference");
    requireNonNull(digest, "digest");
    requireNonNull(imageId, "imageId");
    requireNonNull(target, "target");
    requireNonNull(buildJson, "buildJson");
    requireNonNull(elapsed, "elapsed");
    layers = List.copyOf(layers);
    if (!reference.isPinned() || !reference.digest().equals(digest)) {
      throw new IllegalArgumentException("reference " + reference + " must be pinned to " + digest);
    }
  }

  /** The layer with this name, e.g. {@code classes}. */
  public java.util.Optional<BuiltLayer> layer(String name) {
    return layers.stream().filter(layer -> layer.name().equals(name)).findFirst();
  }

  /** The compressed size of the function's own layers (everything but the base image). */
  public long applicationSize() {
    return layers.stream().filter(layer -> !layer.isBase()).mapToLong(BuiltLayer::size).sum();
  }

  /** Where a platform gets this image from: the archive, or the registry by digest. */
  public ImageSource toImageSource() {
    if (target instanceof ImageTarget.Archive archive) {
      return new ImageSource.Archive(archive.tarball(), digest, reference.repository());
    }
    ImageTarget.Registry registry = (ImageTarget.Registry) target;
    return new ImageSource.Registry(reference, registry.insecure());
  }
}
