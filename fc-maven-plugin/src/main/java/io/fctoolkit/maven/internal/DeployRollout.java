package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.SmokeRequest;
import io.fctoolkit.core.gitops.AliasSpec;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether {@code fc:deploy} rolls its version out instead of moving the alias in one step, and how:
 * where the environment's file gives the deploy's alias a {@code rollout:} strategy, or where
 * {@code fc.rollout} says so.
 *
 * @param strategy the steps and checks
 * @param smoke the function's smoke fixtures ({@code functions/<fn>/smoke/*.json}), sent first
 * @param source where the strategy comes from, for the log
 */
public record DeployRollout(RolloutStrategy strategy, List<SmokeRequest> smoke, String source) {

  /** The values of {@code fc.rollout}. */
  static final List<String> SETTINGS = List.of("auto", "true", "false");

  public DeployRollout {
    requireNonNull(strategy, "strategy");
    smoke = List.copyOf(smoke);
    requireNonNull(source, "source");
  }

  /**
   * The rollout of a deploy, or empty to move the alias at once.
   *
   * @param setting {@code fc.rollout}: {@code auto} (or null: as the environment's file says),
   *     {@code true} (roll out, with the file's strategy or the defaults), {@code false} (move at
   *     once)
   * @param repository the gitops folder, or null when the project has none
   * @param environment the environment deployed to ({@code fc.env}, else the gitops {@code dev}
   *     environment for the local runtime), or null
   */
  public static Optional<DeployRollout> choose(
      String setting,
      GitOpsRepository repository,
      EnvironmentSpec environment,
      String function,
      String alias) {
    String value = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    if (!SETTINGS.contains(value)) {
      throw new InvalidRequestException(
          "rollout",
          "fc.rollout is '" + setting + "'",
          "use -Dfc.rollout=auto (as the environment's file says), true or false");
    }
    if (value.equals("false")) {
      return Optional.empty();
    }
    Optional<RolloutStrategy> declared =
        Optional.ofNullable(environment)
            .flatMap(e -> e.function(function))
            .flatMap(f -> f.alias(alias))
            .map(AliasSpec::rollout);
    List<SmokeRequest> smoke = repository == null ? List.of() : repository.smoke(function);
    if (declared.isPresent()) {
      return Optional.of(
          new DeployRollout(
              declared.get(),
              smoke,
              "the rollout of alias " + alias + " in " + environment.file()));
    }
    if (value.equals("true")) {
      return Optional.of(
          new DeployRollout(
              RolloutStrategy.defaults(),
              smoke,
              "-Dfc.rollout=true with the default strategy (steps 10%, 50%; 100 samples each)"));
    }
    return Optional.empty();
  }
}
