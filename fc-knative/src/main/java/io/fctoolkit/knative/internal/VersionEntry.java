package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Version;
import java.time.Instant;

/**
 * One version as fc-toolkit records it on the Knative Service (the ledger annotation), so that
 * versions can be described without the Knative controller and after revisions are collected.
 *
 * @param number the version number; its revision is {@code <function>-v<N>}
 * @param image the image pinned by digest
 * @param contentId {@link Version#contentId(String, FunctionConfig)}
 * @param releaseId the Git release, or null
 * @param created when it was published, or null when unknown (rendered manifests)
 * @param config the configuration the revision runs with
 */
public record VersionEntry(
    int number,
    ImageRef image,
    String contentId,
    String releaseId,
    Instant created,
    FunctionConfig config) {

  public VersionEntry {
    requireNonNull(image, "image");
    requireNonNull(contentId, "contentId");
    requireNonNull(config, "config");
    if (!image.isPinned()) {
      throw new IllegalArgumentException("image " + image + " must be pinned by digest");
    }
    image = image.pinned();
    if (number < 1) {
      throw new IllegalArgumentException("version numbers start at 1, was " + number);
    }
  }

  public static VersionEntry of(
      int number, ImageRef image, String releaseId, Instant created, FunctionConfig config) {
    return new VersionEntry(
        number, image, Version.contentId(image.digest(), config), releaseId, created, config);
  }

  public Version toVersion(Instant fallbackCreated) {
    return new Version(
        config.name(),
        number,
        image.digest(),
        config,
        contentId,
        releaseId,
        created == null ? fallbackCreated : created);
  }
}
