package io.fctoolkit.host.internal;

import java.util.Map;

/**
 * The host's settings, read from environment variables (the contract in docs/architecture.md
 * section 3).
 */
public record HostConfig(
    int port,
    String target,
    String bind,
    int concurrency,
    long timeoutMs,
    long drainTimeoutMs,
    String functionClasspath,
    boolean train,
    boolean logRequests) {

  public HostConfig {
    if (port < 0 || port > 65535) {
      throw new HostConfigException("PORT", Integer.toString(port), "a port between 0 and 65535");
    }
    if (target == null || target.isBlank()) {
      throw new HostConfigException(
          "FUNCTION_TARGET",
          "",
          "the fully qualified name of the function class, e.g. com.example.HelloWorld");
    }
    if (concurrency < 1) {
      throw new HostConfigException(
          "FC_CONCURRENCY", Integer.toString(concurrency), "a positive integer");
    }
    if (timeoutMs < 1) {
      throw new HostConfigException(
          "FC_TIMEOUT_MS", Long.toString(timeoutMs), "a positive integer");
    }
    if (drainTimeoutMs < 0) {
      throw new HostConfigException(
          "FC_DRAIN_TIMEOUT_MS", Long.toString(drainTimeoutMs), "zero or a positive integer");
    }
    bind = bind == null || bind.isBlank() ? "0.0.0.0" : bind;
    functionClasspath = functionClasspath == null ? "" : functionClasspath;
  }

  /**
   * Reads the settings from an environment map; throws {@link HostConfigException} on bad values.
   */
  public static HostConfig from(Map<String, String> env) {
    boolean train = flag(env, "FC_TRAIN");
    return new HostConfig(
        // A training run always binds a free loopback port: it only ever talks to itself.
        train ? 0 : (int) number(env, "PORT", 8080),
        env.get("FUNCTION_TARGET"),
        train ? "127.0.0.1" : env.get("FC_BIND"),
        (int) number(env, "FC_CONCURRENCY", 10),
        number(env, "FC_TIMEOUT_MS", 60_000),
        number(env, "FC_DRAIN_TIMEOUT_MS", 30_000),
        env.get("FC_FUNCTION_CLASSPATH"),
        train,
        !"0".equals(env.get("FC_LOG_REQUESTS")) && !"false".equals(env.get("FC_LOG_REQUESTS")));
  }

  private static boolean flag(Map<String, String> env, String name) {
    String value = env.get(name);
    return "1".equals(value) || "true".equalsIgnoreCase(value);
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed > Integer.MAX_VALUE && !name.endsWith("_MS")) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new HostConfigException(name, value, "an integer");
    }
  }
}
