package io.fctoolkit.core;

/** The platform could not be reached or did not answer in time. */
public class PlatformUnavailableException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String address;

  public PlatformUnavailableException(
      String address, String message, String hint, Throwable cause) {
    super(message + " (" + address + ")", hint, cause);
    this.address = address;
  }

  /** The address that failed, never containing credentials. */
  public String address() {
    return address;
  }
}
