package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * A request to publish a version: an image plus the configuration it runs with. The function is
 * created if it does not exist.
 *
 * @param config the function's configuration for this version
 * @param image where the platform gets the image
 * @param releaseId the Git release this version is published for, or null
 */
public record PublishRequest(FunctionConfig config, ImageSource image, String releaseId) {
  public PublishRequest {
    requireNonNull(config, "config");
    requireNonNull(image, "image");
  }
}
