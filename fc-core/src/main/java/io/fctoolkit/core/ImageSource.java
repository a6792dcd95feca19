package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Where a platform gets the image of a version from. */
public sealed interface ImageSource {

  /** The image's manifest digest, {@code sha256:...}. */
  String digest();

  /**
   * An image in a registry, pinned by digest.
   *
   * @param image the reference, which must carry a digest
   * @param insecure whether the registry may be plain HTTP (a local test registry)
   */
  record Registry(ImageRef image, boolean insecure) implements ImageSource {
    public Registry {
      requireNonNull(image, "image");
      if (!image.isPinned()) {
        throw new IllegalArgumentException("registry image " + image + " must be pinned by digest");
      }
    }

    @Override
    public String digest() {
      return image.digest();
    }
  }

  /**
   * An OCI image archive (the tarball jib writes) on this machine, for the local runtime.
   *
   * @param tarball the archive
   * @param digest the image's manifest digest as jib reported it
   * @param repository the image's name, for display and status
   */
  record Archive(Path tarball, String digest, String repository) implements ImageSource {
    public Archive {
      requireNonNull(tarball, "tarball");
      requireNonNull(digest, "digest");
      requireNonNull(repository, "repository");
    }
  }
}
