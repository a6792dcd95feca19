package io.fctoolkit.maven.internal;

import io.fctoolkit.core.Durations;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the function parameters into the {@link FunctionConfig} a version is published with: the
 * gitops function file (if any) is the base, every parameter set in the pom or with {@code -Dfc.*}
 * overrides its field. No Maven here.
 */
public final class FunctionConfigs {

  private FunctionConfigs() {}

  /**
   * @param function the function's name
   * @param handler the handler parameter, or null to take the gitops file's
   * @param settings the parameters
   * @param base the configuration from {@code gitops/functions/<function>.yaml}, or null
   */
  public static FunctionConfig from(
      String function, String handler, FunctionSettings settings, FunctionConfig base) {
    String effectiveHandler =
        handler != null && !handler.isBlank()
            ? handler.trim()
            : base != null ? base.handler() : null;
    if (effectiveHandler == null) {
      throw Hints.missingRequest("handler", "handler (the function class, run as FUNCTION_TARGET)");
    }
    Resources resources = base != null ? base.resources() : Resources.DEFAULT;
    Scaling scaling = base != null ? base.scaling() : Scaling.DEFAULT;
    Map<String, String> env = new LinkedHashMap<>(base != null ? base.env() : Map.of());
    env.putAll(settings.variables());
    try {
      resources =
          new Resources(
              settings.memory() != null ? settings.memory() : resources.memoryMb(),
              settings.concurrency() != null ? settings.concurrency() : resources.concurrency(),
              settings.timeout() != null
                  ? duration("timeout", settings.timeout())
                  : resources.timeout());
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest(
          settings.memory() != null ? "memory" : "concurrency",
          String.valueOf(settings.memory() != null ? settings.memory() : settings.concurrency()),
          e.getMessage());
    }
    try {
      scaling =
          new Scaling(
              settings.minInstances() != null ? settings.minInstances() : scaling.minInstances(),
              settings.maxInstances() != null ? settings.maxInstances() : scaling.maxInstances(),
              settings.idleTimeout() != null
                  ? duration("idleTimeout", settings.idleTimeout())
                  : scaling.idleTimeout(),
              // The gitops file's headroom stays unless the parameter overrides it.
              settings.standby() != null ? settings.standby() : scaling.standby());
    } catch (io.fctoolkit.core.InvalidRequestException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("standby")) {
        throw Hints.invalidRequest("standby", String.valueOf(settings.standby()), e.getMessage());
      }
      throw Hints.invalidRequest(
          "maxInstances", settings.minInstances() + ".." + settings.maxInstances(), e.getMessage());
    }
    try {
      return FunctionConfig.builder(function, effectiveHandler)
          .resources(resources)
          .scaling(scaling)
          .env(env)
          .publicInvoke(
              settings.publicInvoke() != null
                  ? settings.publicInvoke()
                  : base != null && base.publicInvoke())
          .idempotent(base != null && base.idempotent())
          .build();
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("handler", effectiveHandler, e.getMessage());
    }
  }

  /**
   * Parses {@code -Dfc.variables=K1=v1,K2=v2} (the command-line form of {@code <variables>}); a
   * value may contain '=' but not ','.
   */
  public static Map<String, String> variables(String list) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (list == null || list.isBlank()) {
      return variables;
    }
    for (String entry : list.split(",")) {
      int equals = entry.indexOf('=');
      String key = equals < 0 ? "" : entry.substring(0, equals).trim();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw Hints.invalidRequest(
            "variables", entry, "expected NAME=value pairs separated by commas, e.g. A=1,B=two");
      }
      variables.put(key, entry.substring(equals + 1));
    }
    return variables;
  }

  /**
   * A duration in the one grammar of {@link Durations}: {@code 30s}, {@code 500ms}, {@code PT30S}.
   */
  public static Duration duration(String key, String value) {
    return Durations.parse(value)
        .orElseThrow(
            () ->
                Hints.invalidRequest(
                    key, value, "expected a duration such as " + Durations.EXAMPLES));
  }
}
