package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything about a function that shapes how a version behaves.
 *
 * <p>All of it except the name is content: it goes into {@link #configHash()}, so changing any of
 * it makes a new version and can never change a version an alias already points at.
 *
 * @param name the function's name: lower case letters, digits and '-', starting with a letter, at
 *     most 50 characters (so that Knative revision names {@code <name>-v<N>} stay DNS labels)
 * @param handler fully qualified class implementing a Functions Framework interface
 * @param resources memory, per-instance concurrency and timeout
 * @param scaling minimum and maximum instances and idle timeout
 * @param env environment variables given to the function; secret values are references, never
 *     inline (see the gitops spec)
 * @param publicInvoke whether invocations need no bearer token
 * @param idempotent whether a request may be retried once when its instance crashes
 */
public record FunctionConfig(
    String name,
    String handler,
    Resources resources,
    Scaling scaling,
    Map<String, String> env,
    boolean publicInvoke,
    boolean idempotent) {

  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,48}[a-z0-9])?");
  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  public FunctionConfig {
    requireNonNull(name, "name");
    requireNonNull(handler, "handler");
    requireNonNull(resources, "resources");
    requireNonNull(scaling, "scaling");
    checkName(name);
    if (!CLASS_NAME.matcher(handler).matches()) {
      throw new IllegalArgumentException(
          "handler must be a fully qualified class name such as com.example.Grader, was '"
              + handler
              + "'");
    }
    env = Map.copyOf(env);
  }

  /** Throws {@link IllegalArgumentException} unless {@code name} is a valid function name. */
  public static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "function name must be 1-50 lower case letters, digits or '-', start with a letter and"
              + " not end with '-', was '"
              + name
              + "'");
    }
  }

  /**
   * The SHA-256 of the behaviour-shaping configuration in a canonical form: equal configurations
   * give equal hashes, whatever the order of the environment map.
   */
  public String configHash() {
    StringBuilder canonical = new StringBuilder();
    canonical.append("handler=").append(handler).append('\n');
    canonical.append("memoryMb=").append(resources.memoryMb()).append('\n');
    canonical.append("concurrency=").append(resources.concurrency()).append('\n');
    canonical.append("timeoutMs=").append(resources.timeout().toMillis()).append('\n');
    canonical.append("minInstances=").append(scaling.minInstances()).append('\n');
    canonical.append("maxInstances=").append(scaling.maxInstances()).append('\n');
    canonical.append("idleTimeoutMs=").append(scaling.idleTimeout().toMillis()).append('\n');
    // Only when not the default: versions recorded before standby existed keep their hash.
    if (scaling.standby() != Scaling.DEFAULT_STANDBY) {
      canonical.append("standby=").append(scaling.standby()).append('\n');
    }
    canonical.append("public=").append(publicInvoke).append('\n');
    canonical.append("idempotent=").append(idempotent).append('\n');
    new TreeMap<>(env)
        .forEach(
            (key, value) ->
                canonical
                    .append("env.")
                    .append(key.length())
                    .append(':')
                    .append(key)
                    .append('=')
                    .append(value.length())
                    .append(':')
                    .append(value)
                    .append('\n'));
    return Hashes.sha256(canonical.toString());
  }

  public static Builder builder(String name, String handler) {
    return new Builder(name, handler);
  }

  public Builder toBuilder() {
    return new Builder(name, handler)
        .resources(resources)
        .scaling(scaling)
        .env(env)
        .publicInvoke(publicInvoke)
        .idempotent(idempotent);
  }

  /** Builds a {@link FunctionConfig} with defaults for everything but name and handler. */
  public static final class Builder {
    private final String name;
    private final String handler;
    private Resources resources = Resources.DEFAULT;
    private Scaling scaling = Scaling.DEFAULT;
    private Map<String, String> env = Map.of();
    private boolean publicInvoke;
    private boolean idempotent;

    private Builder(String name, String handler) {
      this.name = name;
      this.handler = handler;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public Builder scaling(Scaling scaling) {
      this.scaling = scaling;
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    public Builder publicInvoke(boolean publicInvoke) {
      this.publicInvoke = publicInvoke;
      return this;
    }

    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    public FunctionConfig build() {
      return new FunctionConfig(name, handler, resources, scaling, env, publicInvoke, idempotent);
    }
  }
}
