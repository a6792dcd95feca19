package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An environment file ({@code kind: Environment}): where it runs and what should run there.
 *
 * @param name the environment's name (its directory under {@code environments/})
 * @param file the file it was read from, relative to the gitops root
 * @param platform the platform binding
 * @param bootstrapServers the Kafka cluster of its triggers, or null for the embedded broker
 * @param driftPolicy what apply does with changes made outside Git
 * @param functions the functions deployed there
 * @param onFailedRollout what plan and apply do when the release Git names failed its rollout
 */
public record EnvironmentSpec(
    String name,
    String file,
    PlatformBinding platform,
    String bootstrapServers,
    DriftPolicy driftPolicy,
    List<EnvironmentFunction> functions,
    FailedRolloutPolicy onFailedRollout) {

  /** An environment whose failed rollouts are reported ({@link FailedRolloutPolicy#REPORT}). */
  public EnvironmentSpec(
      String name,
      String file,
      PlatformBinding platform,
      String bootstrapServers,
      DriftPolicy driftPolicy,
      List<EnvironmentFunction> functions) {
    this(
        name, file, platform, bootstrapServers, driftPolicy, functions, FailedRolloutPolicy.REPORT);
  }

  public EnvironmentSpec {
    requireNonNull(name, "name");
    requireNonNull(file, "file");
    requireNonNull(platform, "platform");
    requireNonNull(driftPolicy, "driftPolicy");
    functions = List.copyOf(functions);
    onFailedRollout = onFailedRollout == null ? FailedRolloutPolicy.REPORT : onFailedRollout;
  }

  public Optional<EnvironmentFunction> function(String functionName) {
    return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
  }

  /** Whether images may be named by tag here (only on the {@code local} platform). */
  public boolean allowsTags() {
    return platform instanceof PlatformBinding.Local;
  }
}
