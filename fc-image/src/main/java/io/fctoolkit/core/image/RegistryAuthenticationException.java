package io.fctoolkit.core.image;

import io.fctoolkit.core.FcException;

/** A registry refused the credentials, or asked for credentials that were not given. */
public class RegistryAuthenticationException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String registry;

  public RegistryAuthenticationException(
      String registry, String message, String hint, Throwable cause) {
    super(message + " (" + registry + ")", hint, cause);
    this.registry = registry;
  }

  /** The registry's address; never any part of a credential. */
  public String registry() {
    return registry;
  }
}
