package io.fctoolkit.core.image;

import io.fctoolkit.core.FcException;

/** A registry (the target, or the base image's) could not be reached. */
public class RegistryUnavailableException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String registry;

  public RegistryUnavailableException(
      String registry, String message, String hint, Throwable cause) {
    super(message + " (" + registry + ")", hint, cause);
    this.registry = registry;
  }

  /** The registry's address, e.g. {@code 127.0.0.1:5000}. */
  public String registry() {
    return registry;
  }
}
