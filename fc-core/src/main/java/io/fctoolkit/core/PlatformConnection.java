package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Where an environment says its platform is, in the platform's own words, so that a {@link
 * PlatformProvider} can connect to it without its caller knowing the platform.
 *
 * @param type the platform type as the environment file writes it, e.g. {@code knative}
 * @param source where the binding is written (the environment file), named in every error about it
 * @param settings the binding's settings by name, e.g. {@code context} and {@code namespace}; a
 *     setting that is not given is absent, never null
 */
public record PlatformConnection(String type, String source, Map<String, String> settings) {

  public PlatformConnection {
    requireNonNull(type, "type");
    requireNonNull(source, "source");
    settings = Map.copyOf(settings);
  }

  /** A setting, or null when the binding does not give it. */
  public String setting(String name) {
    return settings.get(name);
  }

  /**
   * A setting the platform cannot work without.
   *
   * @throws InvalidRequestException naming the source and the setting when it is missing
   */
  public String required(String name) {
    String value = settings.get(name);
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(
          "platform." + name,
          source + " binds platform " + type + " without '" + name + "'",
          "add platform." + name + " to " + source);
    }
    return value;
  }
}
