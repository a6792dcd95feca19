package io.fctoolkit.maven.internal;

import io.fctoolkit.core.FcException;

/**
 * The local runtime's classpath (fc-runtime and its dependencies) could not be resolved, so no
 * runtime can be started.
 */
public final class RuntimeClasspathException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String coordinates;

  /**
   * @param coordinates the runtime artifact, {@code io.fctoolkit:fc-runtime:<version>}
   * @param offline whether Maven ran offline ({@code -o}), which decides the hint
   */
  public RuntimeClasspathException(String coordinates, boolean offline, Throwable cause) {
    super(
        "cannot resolve the local runtime's classpath ("
            + coordinates
            + " with its runtime dependencies), needed to start a local runtime: "
            + cause.getMessage(),
        hint(coordinates, offline),
        cause);
    this.coordinates = coordinates;
  }

  /** The runtime artifact that was asked for. */
  public String coordinates() {
    return coordinates;
  }

  private static String hint(String coordinates, boolean offline) {
    String fetch = "mvn dependency:get -Dartifact=" + coordinates;
    return offline
        ? "Maven runs offline (-o), so it must already be in the local repository: run the goal"
            + " once without -o, or fetch it with "
            + fetch
        : "check that the plugin's repositories (pluginRepositories, settings.xml mirrors) serve "
            + coordinates
            + " and its dependencies (try "
            + fetch
            + "), or pass -Dfc.runtime.url to use a runtime that already runs";
  }
}
