package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.TriggerSettings;
import io.fctoolkit.core.TriggerSpec;

/**
 * A Kafka trigger as a function file declares it: its settings, but neither the alias it invokes
 * (bound per environment) nor the Kafka cluster (the environment's).
 *
 * @param name the trigger's name, unique per function
 * @param settings how it reads and delivers (consumer group null for the stable default)
 * @param alias the alias to invoke when an environment does not bind one, or null
 */
public record TriggerDecl(String name, TriggerSettings settings, String alias) {

  public TriggerDecl {
    requireNonNull(name, "name");
    requireNonNull(settings, "settings");
  }

  /** The trigger as a platform receives it, bound to an alias and a Kafka cluster. */
  public TriggerSpec toSpec(String function, String boundAlias, String bootstrapServers) {
    return new TriggerSpec(name, function, boundAlias, settings, bootstrapServers);
  }
}
