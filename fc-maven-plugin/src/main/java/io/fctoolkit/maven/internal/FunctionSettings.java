package io.fctoolkit.maven.internal;

import java.util.Map;

/**
 * The function's configuration parameters as the user set them; {@code null} means not set (the
 * gitops function file's value, else fc-core's default, applies).
 *
 * @param memory {@code <memory>} / {@code fc.memory}: MiB per instance
 * @param concurrency {@code <concurrency>} / {@code fc.concurrency}
 * @param timeout {@code <timeout>} / {@code fc.timeout}: {@code 30s}, {@code 2m}, {@code PT30S}
 * @param minInstances {@code <minInstances>} / {@code fc.minInstances}
 * @param maxInstances {@code <maxInstances>} / {@code fc.maxInstances}
 * @param idleTimeout {@code <idleTimeout>} / {@code fc.idleTimeout}
 * @param variables {@code <variables>}: environment variables for the function
 * @param publicInvoke {@code <publicInvoke>} / {@code fc.publicInvoke}
 * @param standby {@code <standby>} / {@code fc.standby}: ready instances ahead of demand
 */
public record FunctionSettings(
    Integer memory,
    Integer concurrency,
    String timeout,
    Integer minInstances,
    Integer maxInstances,
    String idleTimeout,
    Map<String, String> variables,
    Boolean publicInvoke,
    Integer standby) {

  public FunctionSettings {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
  }

  /** Without {@code standby} (the gitops file's, else the default). */
  public FunctionSettings(
      Integer memory,
      Integer concurrency,
      String timeout,
      Integer minInstances,
      Integer maxInstances,
      String idleTimeout,
      Map<String, String> variables,
      Boolean publicInvoke) {
    this(
        memory,
        concurrency,
        timeout,
        minInstances,
        maxInstances,
        idleTimeout,
        variables,
        publicInvoke,
        null);
  }
}
