package io.fctoolkit.core.image;

import static java.util.Objects.requireNonNull;

/**
 * One layer of a built image.
 *
 * @param name {@code base}, {@code dependencies}, {@code host}, {@code resources} or {@code
 *     classes}
 * @param digest the compressed blob's digest, {@code sha256:...}
 * @param diffId the uncompressed tar's digest, {@code sha256:...}
 * @param size the compressed blob's size in bytes
 */
public record BuiltLayer(String name, String digest, String diffId, long size) {

  public BuiltLayer {
    requireNonNull(name, "name");
    requireNonNull(digest, "digest");
    requireNonNull(diffId, "diffId");
    if (size < 0) {
      throw new IllegalArgumentException("layer size must not be negative, was " + size);
    }
  }

  /** Whether the layer comes from the base image rather than from the function. */
  public boolean isBase() {
    return "base".equals(name);
  }
}
