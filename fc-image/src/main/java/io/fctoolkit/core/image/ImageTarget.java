package io.fctoolkit.core.image;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.ImageRef;
import java.nio.file.Path;

/** Where a built image goes: a registry, or an OCI archive on this machine. */
public sealed interface ImageTarget {

  /** The name the image is given, e.g. {@code 127.0.0.1:5000/grader:latest}. */
  ImageRef image();

  /**
   * Push to a registry.
   *
   * @param image repository and tag to push to; must not carry a digest (the digest is the result)
   * @param insecure whether the registry may answer over plain HTTP or with an unverified
   *     certificate (a local test registry); credentials are never sent over plain HTTP
   * @param credentials explicit credentials, or {@code null} to use the Docker configuration and
   *     credential helpers of this machine, if any
   */
  record Registry(ImageRef image, boolean insecure, RegistryCredentials credentials)
      implements ImageTarget {
    public Registry {
      requireNonNull(image, "image");
      if (image.isPinned()) {
        throw new IllegalArgumentException(
            "cannot push to "
                + image
                + ": a target image names a repository and tag; its digest is what the build"
                + " produces");
      }
    }
  }

  /**
   * Write an OCI image layout archive (what the local runtime imports).
   *
   * @param tarball the archive to write, replaced if it exists
   * @param image the name recorded in the archive's index
   */
  record Archive(Path tarball, ImageRef image) implements ImageTarget {
    public Archive {
      requireNonNull(tarball, "tarball");
      requireNonNull(image, "image");
    }
  }
}
