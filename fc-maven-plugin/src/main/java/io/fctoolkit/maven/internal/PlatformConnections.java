package io.fctoolkit.maven.internal;

import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.PlatformBinding;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An environment file's platform binding as a {@link PlatformConnection}: the settings its provider
 * reads (for Knative: {@code context}, {@code namespace}, {@code bootstrapServers}, {@code
 * readyTimeout}), and the file, which every error about the binding names.
 */
public final class PlatformConnections {

  private PlatformConnections() {}

  /**
   * The connection an environment binds.
   *
   * @param readyTimeout how long publishing waits for a new version to become ready; zero does not
   *     wait
   */
  public static PlatformConnection of(EnvironmentSpec env, Duration readyTimeout) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (env.platform() instanceof PlatformBinding.Knative knative) {
      put(settings, "context", knative.context());
      put(settings, "namespace", knative.namespace());
    }
    put(settings, "bootstrapServers", env.bootstrapServers());
    if (!readyTimeout.isZero()) {
      settings.put("readyTimeout", readyTimeout.toString());
    }
    return new PlatformConnection(env.platform().type(), env.file(), settings);
  }

  private static void put(Map<String, String> settings, String name, String value) {
    if (value != null && !value.isBlank()) {
      settings.put(name, value);
    }
  }
}
