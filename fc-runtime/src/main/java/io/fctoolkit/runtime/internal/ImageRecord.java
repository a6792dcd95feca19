package io.fctoolkit.runtime.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An image held by the store: its manifest digest, its config blob and its layers in order.
 *
 * @param digest the manifest digest the image is known by
 * @param repository the name it was imported or pulled as, for display
 * @param configDigest digest of the image configuration blob
 * @param layers digests of the layer blobs, base first
 * @param verified whether {@code digest} was checked against the manifest's bytes; false only for
 *     docker-save archives, which carry no manifest
 */
public record ImageRecord(
    String digest, String repository, String configDigest, List<String> layers, boolean verified) {
  public ImageRecord {
    requireNonNull(digest, "digest");
    requireNonNull(configDigest, "configDigest");
    layers = List.copyOf(layers);
  }
}
