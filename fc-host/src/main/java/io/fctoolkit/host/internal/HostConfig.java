package io.fctoolkit.host.internal;

import java.util.Map;
import java.util.regex.Pattern;

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
    boolean logRequests,
    boolean replyCloudEvents,
    String replyType,
    String functionName,
    long headerTimeoutMs,
    long bodyTimeoutMs,
    int maxConnections,
    long maxBodyBytes,
    boolean authStdin) {

  /** The default {@code ce-type} of replies ({@code FC_REPLY_TYPE}). */
  public static final String DEFAULT_REPLY_TYPE = "io.fctoolkit.result";

  /** The default request body limit ({@code FC_MAX_BODY_BYTES}): Cloud Functions' 32 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

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
    if (functionName != null && !FUNCTION_NAME.matcher(functionName).matches()) {
      throw new HostConfigException(
          "FC_FUNCTION_NAME",
          functionName,
          "a function name of letters, digits, '.', '_' and '-' (at most 200), e.g. grader");
    }
    if (headerTimeoutMs < 1 || headerTimeoutMs > Integer.MAX_VALUE) {
      throw new HostConfigException(
          "FC_HEADER_TIMEOUT_MS", Long.toString(headerTimeoutMs), "a positive number of ms");
    }
    if (bodyTimeoutMs < 1 || bodyTimeoutMs > Integer.MAX_VALUE) {
      throw new HostConfigException(
          "FC_BODY_TIMEOUT_MS", Long.toString(bodyTimeoutMs), "a positive number of ms");
    }
    if (maxConnections < 1) {
      throw new HostConfigException(
          "FC_MAX_CONNECTIONS", Integer.toString(maxConnections), "a positive integer");
    }
    if (maxBodyBytes < 0) {
      throw new HostConfigException(
          "FC_MAX_BODY_BYTES", Long.toString(maxBodyBytes), "zero or a positive integer");
    }
    bind = bind == null || bind.isBlank() ? "0.0.0.0" : bind;
    replyType = replyType == null || replyType.isBlank() ? DEFAULT_REPLY_TYPE : replyType.trim();
    // Replies name the function; without FC_FUNCTION_NAME the handler class stands in for it.
    functionName = functionName == null ? target : functionName;
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
        !"0".equals(env.get("FC_LOG_REQUESTS")) && !"false".equals(env.get("FC_LOG_REQUESTS")),
        strictFlag(env, "FC_REPLY_CLOUDEVENTS"),
        env.get("FC_REPLY_TYPE"),
        blankToNull(env.get("FC_FUNCTION_NAME")),
        number(env, "FC_HEADER_TIMEOUT_MS", 10_000),
        number(env, "FC_BODY_TIMEOUT_MS", 30_000),
        (int) number(env, "FC_MAX_CONNECTIONS", 1024),
        number(env, "FC_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
        // A training run talks only to itself over loopback and has no runtime to send a secret.
        !train && authStdin(env));
  }

  /** {@code FC_AUTH}: unset or {@code stdin}; anything else is a typo that must not disable it. */
  private static boolean authStdin(Map<String, String> env) {
    String value = env.get("FC_AUTH");
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (value.equals("stdin")) {
      return true;
    }
    throw new HostConfigException("FC_AUTH", value, "stdin (or leave it unset)");
  }

  /** A flag whose typo must not silently turn a feature off: only true/false/1/0 (or unset). */
  private static boolean strictFlag(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return false;
    }
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true") || trimmed.equals("1")) {
      return true;
    }
    if (trimmed.equalsIgnoreCase("false") || trimmed.equals("0")) {
      return false;
    }
    throw new HostConfigException(name, value, "true or false");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
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
      if (parsed > Integer.MAX_VALUE && !name.endsWith("_MS") && !name.endsWith("_BYTES")) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new HostConfigException(name, value, "an integer");
    }
  }
}
