package io.fctoolkit.core;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A serverless platform that runs functions: the embedded local runtime or Knative.
 *
 * <p>Small and platform-neutral on purpose: everything above it (deploy, promote, plan, apply) is
 * written once against this interface. Mutations are idempotent or carry an expected revision, so
 * two pipelines cannot silently overwrite each other. Errors are {@link FcException}s that say what
 * failed and how to fix it.
 */
public interface Platform extends AutoCloseable {

  /** A one-line description of where this platform is, e.g. the runtime's address. */
  String target();

  /** What this platform can express. */
  PlatformCapabilities capabilities();

  /** The names of the functions the platform holds. */
  List<String> functions();

  /** The versions, aliases and triggers of a function, or empty if it does not exist. */
  Optional<FunctionState> describe(String function);

  /**
   * Publishes a version: the same content (image digest and configuration) returns the existing
   * version with {@code created == false}.
   *
   * @throws InvalidRequestException when the image or configuration cannot run, e.g. the handler
   *     class is missing; nothing is created then
   */
  PublishResult publish(PublishRequest request);

  /**
   * Creates or moves an alias. The platform prepares the target versions before traffic moves
   * (scale before shift) and lets requests already routed finish on the old version.
   *
   * @throws ConflictException when {@code expectedRevision} is not the alias's revision
   * @throws NotFoundException when a target version does not exist
   */
  Alias putAlias(AliasUpdate update);

  /** Deletes an alias. Triggers that target it must be deleted first. */
  void deleteAlias(String function, String alias, Long expectedRevision);

  /** Deletes a version; refused with {@link ConflictException} while an alias points at it. */
  void deleteVersion(String function, int version);

  /**
   * Creates or updates a trigger. An update keeps the consumer group and so its offsets, unless the
   * group itself is changed.
   */
  TriggerSpec putTrigger(TriggerSpec trigger);

  /** Deletes a trigger; its consumer group's offsets are left in the broker. */
  void deleteTrigger(String function, String trigger);

  /** Invokes a function synchronously through an alias or a version. */
  InvokeResponse invoke(InvokeRequest request);

  /** Serving figures per version and trigger status for one function. */
  FunctionMetrics metrics(String function);

  /**
   * The address that reaches an alias from outside the platform, or empty when the platform gives
   * it none (yet).
   *
   * @throws NotFoundException when the function or the alias does not exist
   */
  default Optional<URI> aliasAddress(String function, String alias) {
    return Optional.empty();
  }

  /**
   * The objects the platform keeps for a function and their {@code Ready} condition, where the
   * platform reports readiness per object (a stuck revision or trigger shows here); empty where it
   * has no such objects.
   *
   * @throws NotFoundException when the function does not exist
   */
  default List<PlatformObject> objects(String function) {
    return List.of();
  }

  /**
   * The canary weight (percent) as this platform will really route it: {@code weight} itself where
   * {@link PlatformCapabilities#decimalWeights()} holds, else what the platform rounds it to.
   */
  default BigDecimal routedWeight(BigDecimal weight) {
    return weight;
  }

  /**
   * Where the log of a version is, as the platform's own command or address (e.g. {@code kubectl
   * logs ...}), for a failure's hint; empty when the platform does not say.
   */
  default Optional<String> logLocation(String function, int version) {
    return Optional.empty();
  }

  /**
   * Reads a version's log: from byte {@code offset} on, or, with a negative offset, its last {@code
   * -offset} lines. Empty when the platform keeps no log it can hand out (then {@link #logLocation}
   * says where to look).
   */
  default Optional<LogChunk> readLog(String function, int version, long offset) {
    return Optional.empty();
  }

  /**
   * The Kafka cluster ({@code host:port,...}) that triggers naming no cluster of their own read
   * from, when the platform runs or knows one (the local runtime's embedded broker once a trigger
   * started it); empty otherwise.
   */
  default Optional<String> kafkaBootstrapServers() {
    return Optional.empty();
  }

  /** Whether {@link #startRollout} runs progressive rollouts on this platform. */
  default boolean supportsRollouts() {
    return false;
  }

  /**
   * Starts a progressive rollout: the alias moves to the canary's first step at once, then the
   * platform moves it on, checks each step and promotes or rolls back by itself. Starting the same
   * canary again while it progresses answers its status.
   *
   * @throws FcException where the platform runs no rollouts ({@link #supportsRollouts()} false)
   * @throws ConflictException when the alias moved since {@code expectedRevision}, already has a
   *     canary, or another rollout of it progresses
   */
  default RolloutStatus startRollout(RolloutRequest request) {
    throw new FcException(
        "progressive rollouts are not supported on "
            + target()
            + " yet: alias '"
            + request.alias()
            + "' of '"
            + request.function()
            + "' was not moved",
        "remove 'rollout' from the alias and move its canary weight step by step yourself, or"
            + " roll out on the local runtime",
        "rollout",
        null);
  }

  /**
   * How this platform's rendered manifests run an alias's rollout strategy, for platforms whose
   * rollouts an external controller runs (Knative: Flagger, from what {@code fc:render} writes):
   * what it will do, and per field what it runs differently or cannot run. Empty when the platform
   * renders no rollouts ({@link #supportsRollouts()} platforms run their own).
   *
   * @param field the environment file's path of the alias's {@code rollout} block
   * @param triggers the triggers that invoke the alias
   * @param otherAliases the function's other aliases in the environment
   */
  default List<RolloutNote> renderedRollout(
      String function,
      String alias,
      String field,
      RolloutStrategy strategy,
      List<TriggerSpec> triggers,
      List<String> otherAliases) {
    return List.of();
  }

  /** The latest rollout of an alias, running or finished; empty when it never had one. */
  default Optional<RolloutStatus> rollout(String function, String alias) {
    return Optional.empty();
  }

  /**
   * Stops a progressing rollout and returns the alias to its primary version.
   *
   * @throws NotFoundException when the alias has no progressing rollout
   */
  default RolloutStatus abortRollout(String function, String alias, String reason) {
    throw noRollouts(function, alias);
  }

  /**
   * Holds a running rollout at its weight until resumed, promoted or aborted; a failed check still
   * rolls it back.
   *
   * @throws NotFoundException when the alias has no running rollout
   */
  default RolloutStatus pauseRollout(String function, String alias, String reason) {
    throw noRollouts(function, alias);
  }

  /**
   * Lets a paused rollout go on; its step starts over.
   *
   * @throws NotFoundException when the alias has no running rollout
   */
  default RolloutStatus resumeRollout(String function, String alias, String reason) {
    throw noRollouts(function, alias);
  }

  /**
   * Makes the move a rollout awaits a person's approval for (its strategy's {@code approveBefore}):
   * the next step, or the promotion after the last.
   *
   * @throws NotFoundException when the alias has no running rollout
   * @throws ConflictException when its rollout awaits no approval
   */
  default RolloutStatus approveRollout(String function, String alias, String reason) {
    throw noRollouts(function, alias);
  }

  /**
   * Gives a running rollout's canary all traffic now, skipping its remaining steps and checks.
   *
   * @throws NotFoundException when the alias has no running rollout
   */
  default RolloutStatus promoteRollout(String function, String alias, String reason) {
    throw noRollouts(function, alias);
  }

  /**
   * A link that opens the platform's live dashboard of {@code function} in a browser, when the
   * platform serves one (the local runtime: a link good once, for two minutes); empty otherwise.
   */
  default Optional<URI> dashboardLink(String function) {
    return Optional.empty();
  }

  /** Releases connections; never stops a platform that outlives this client. */
  @Override
  void close();

  /** What the rollout commands of a platform that runs no rollouts answer: there is none. */
  private static NotFoundException noRollouts(String function, String alias) {
    return new NotFoundException(
        "rollout", function + "/" + alias, "this platform runs no progressive rollouts");
  }
}
