package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a publish.
 *
 * @param version the version with the requested content
 * @param created false when a version with the same content already existed and was returned
 */
public record PublishResult(Version version, boolean created) {
  public PublishResult {
    requireNonNull(version, "version");
  }
}
