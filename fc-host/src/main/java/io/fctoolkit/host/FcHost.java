package io.fctoolkit.host;

import io.fctoolkit.host.internal.Host;

/**
 * Entry point of the function host: serves the function named by {@code FUNCTION_TARGET} on {@code
 * PORT}; see docs/architecture.md section 3 for the whole contract.
 */
public final class FcHost {
  private FcHost() {}

  /** Starts the host; the environment carries all settings. */
  public static void main(String[] args) {
    int status = Host.start(System.getenv(), System.in, System.out).status();
    if (status >= 0) {
      System.exit(status);
    }
  }
}
