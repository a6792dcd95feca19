package io.fctoolkit.core.gitops;

import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.TriggerSpec;
import java.util.Optional;

/**
 * One function as the planners see it: its Git files, its environment entry and what is live.
 *
 * @param env the environment being planned
 * @param envFunction the function's entry in the environment file
 * @param function the function file
 * @param live the function on the platform (empty when it is not there yet)
 * @param platform the platform planned against (read only)
 * @param caps the platform's capabilities
 */
record FunctionScope(
    EnvironmentSpec env,
    EnvironmentFunction envFunction,
    FunctionSpec function,
    FunctionState live,
    Platform platform,
    PlatformCapabilities caps) {

  String name() {
    return function.name();
  }

  /**
   * The trigger {@code decl} as this environment runs it (its binding's alias, the environment's
   * brokers), or empty when the binding disables it here. The ordering override is not applied.
   */
  Optional<TriggerSpec> enabledTrigger(TriggerDecl decl) {
    Optional<TriggerBinding> binding = envFunction.trigger(decl.name());
    if (binding.isPresent() && !binding.get().enabled()) {
      return Optional.empty();
    }
    String alias = binding.map(TriggerBinding::alias).orElse(null);
    return Optional.of(
        decl.toSpec(function.name(), alias != null ? alias : decl.alias(), env.bootstrapServers()));
  }

  /** What apply does about a drift finding under this environment's drift policy. */
  String driftAction(String overwrite) {
    return switch (env.driftPolicy()) {
      case FAIL -> "blocks apply (driftPolicy fail)";
      case OVERWRITE -> overwrite + " (driftPolicy overwrite)";
      case REPORT -> "left as is (driftPolicy report)";
    };
  }
}
