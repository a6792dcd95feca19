package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An immutable, published version of a function.
 *
 * <p>Identified per platform by its number (1, 2, 3...) and everywhere by its content id, the hash
 * of the image digest and the configuration hash. Publishing the same content twice returns the
 * existing version.
 *
 * @param function the function's name
 * @param number the platform's version number, from 1
 * @param imageDigest the image's manifest digest, {@code sha256:...}
 * @param config the configuration the version runs with
 * @param contentId {@link #contentId(String, FunctionConfig)} of digest and configuration
 * @param releaseId the Git release this version was published for, or {@code null}
 * @param created when it was published
 */
public record Version(
    String function,
    int number,
    String imageDigest,
    FunctionConfig config,
    String contentId,
    String releaseId,
    Instant created) {

  public Version {
    requireNonNull(function, "function");
    requireNonNull(imageDigest, "imageDigest");
    requireNonNull(config, "config");
    requireNonNull(contentId, "contentId");
    requireNonNull(created, "created");
    if (number < 1) {
      throw new IllegalArgumentException("version numbers start at 1, was " + number);
    }
  }

  /** The content identity of a version: same digest and configuration, same id. */
  public static String contentId(String imageDigest, FunctionConfig config) {
    return Hashes.sha256(imageDigest + "\n" + config.configHash());
  }
}
