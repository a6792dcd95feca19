package io.fctoolkit.maven.internal;

import io.fctoolkit.core.FcException;

/**
 * A part of the toolkit the plugin resolves when it needs it could not be resolved: the local
 * runtime's classpath (fc-runtime and its dependencies, to start a runtime) or Knative support
 * (fc-knative and fabric8, for an environment bound to Knative).
 */
public final class RuntimeClasspathException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String coordinates;

  /**
   * @param coordinates the artifact, e.g. {@code io.fctoolkit:fc-runtime:<version>}
   * @param neededFor what it is needed for, e.g. {@code start a local runtime}
   * @param offline whether Maven ran offline ({@code -o}), which decides the hint
   */
  public RuntimeClasspathException(
      String coordinates, String neededFor, boolean offline, Throwable cause) {
    super(
        "cannot resolve "
            + coordinates
            + " with its runtime dependencies, needed to "
            + neededFor
            + ": "
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
            + ")"
            + (coordinates.startsWith(RuntimeClasspath.ARTIFACT + ":")
                ? ", or pass -Dfc.runtime.url to use a runtime that already runs"
                : "");
  }
}
