package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function file ({@code kind: Function}): what the function is, the same in every environment.
 *
 * @param name the function's name
 * @param file the file it was read from, relative to the gitops root
 * @param handler the handler class
 * @param resources memory, concurrency and timeout
 * @param scaling instances and idle timeout
 * @param env environment variables, secrets by reference only
 * @param publicInvoke whether invocations need no bearer token
 * @param idempotent whether a request may be retried once when its instance crashes
 * @param triggers the Kafka triggers
 */
public record FunctionSpec(
    String name,
    String file,
    String handler,
    Resources resources,
    Scaling scaling,
    List<EnvVar> env,
    boolean publicInvoke,
    boolean idempotent,
    List<TriggerDecl> triggers) {

  public FunctionSpec {
    requireNonNull(name, "name");
    requireNonNull(file, "file");
    requireNonNull(handler, "handler");
    requireNonNull(resources, "resources");
    requireNonNull(scaling, "scaling");
    env = List.copyOf(env);
    triggers = List.copyOf(triggers);
  }

  /** The configuration every version of this function is published with. */
  public FunctionConfig config() {
    Map<String, String> values = new LinkedHashMap<>();
    env.forEach(e -> values.put(e.name(), e.configValue()));
    return FunctionConfig.builder(name, handler)
        .resources(resources)
        .scaling(scaling)
        .env(values)
        .publicInvoke(publicInvoke)
        .idempotent(idempotent)
        .build();
  }

  public Optional<TriggerDecl> trigger(String triggerName) {
    return triggers.stream().filter(t -> t.name().equals(triggerName)).findFirst();
  }
}
