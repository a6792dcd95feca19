package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.TriggerSpec;
import java.math.BigDecimal;
import java.util.List;

/**
 * What apply would change to make an environment's live platform match Git, and what it found
 * changed outside Git. The plan renderer of this package writes it as text, Markdown (a
 * pull-request comment) or JSON.
 *
 * @param environment the environment's name
 * @param target where the platform is ({@link io.fctoolkit.core.Platform#target()})
 * @param driftPolicy the environment's drift policy
 * @param publishes releases whose content is not live yet
 * @param aliases aliases to create, move, re-weight or delete
 * @param triggers triggers to create, update or delete
 * @param drift live state changed outside Git
 * @param warnings things the platform will express differently than written (e.g. rounding)
 * @param errors things the platform cannot do at all; apply refuses while there are any
 */
public record Plan(
    String environment,
    String target,
    DriftPolicy driftPolicy,
    List<Publish> publishes,
    List<AliasChange> aliases,
    List<TriggerChange> triggers,
    List<Drift> drift,
    List<String> warnings,
    List<String> errors) {

  public Plan {
    requireNonNull(environment, "environment");
    requireNonNull(target, "target");
    requireNonNull(driftPolicy, "driftPolicy");
    publishes = List.copyOf(publishes);
    aliases = List.copyOf(aliases);
    triggers = List.copyOf(triggers);
    drift = List.copyOf(drift);
    warnings = List.copyOf(warnings);
    errors = List.copyOf(errors);
  }

  /** Whether apply would change anything. */
  public boolean hasChanges() {
    return !publishes.isEmpty() || !aliases.isEmpty() || !triggers.isEmpty();
  }

  /** Why apply must refuse this plan, or null when it may proceed. */
  public String refusal() {
    if (!errors.isEmpty()) {
      return errors.size() + " error(s) in the plan: " + String.join("; ", errors);
    }
    if (!drift.isEmpty() && driftPolicy == DriftPolicy.FAIL) {
      return "the live state of "
          + environment
          + " was changed outside Git ("
          + drift.size()
          + " drift item(s)) and its driftPolicy is fail";
    }
    return null;
  }

  /** How many changes apply would make. */
  public int changeCount() {
    return publishes.size() + aliases.size() + triggers.size();
  }

  /** What kind of change. */
  public enum Kind {
    CREATE,
    UPDATE,
    DELETE
  }

  /**
   * A release to publish as a new version.
   *
   * @param function the function
   * @param release the release (image pinned by digest)
   * @param config the configuration the version runs with
   * @param contentId the content id the new version will have
   */
  public record Publish(String function, Release release, FunctionConfig config, String contentId) {
    public Publish {
      requireNonNull(function, "function");
      requireNonNull(release, "release");
      requireNonNull(config, "config");
      requireNonNull(contentId, "contentId");
    }
  }

  /**
   * A change to an alias.
   *
   * @param function the function
   * @param alias the alias name
   * @param kind create, update or delete
   * @param from where it points now, in release terms (or version numbers Git does not know), or
   *     null when it does not exist
   * @param to where it should point, or null for a delete
   * @param weight the canary weight the platform will use (rounded where it has no decimals)
   * @param version the live version of {@code to.release()}, or null until it is published
   * @param canaryVersion the live version of {@code to.canaryRelease()}, or null
   * @param expectedRevision the live revision (0 when it does not exist yet)
   * @param fromDrift whether the change undoes a change made outside Git
   */
  public record AliasChange(
      String function,
      String alias,
      Kind kind,
      String from,
      AliasSpec to,
      BigDecimal weight,
      Integer version,
      Integer canaryVersion,
      long expectedRevision,
      boolean fromDrift) {
    public AliasChange {
      requireNonNull(function, "function");
      requireNonNull(alias, "alias");
      requireNonNull(kind, "kind");
    }

    /**
     * Whether applying this change starts a progressive rollout instead of moving the alias: an
     * update to an alias whose desired state has a {@code rollout:}.
     */
    public boolean startsRollout() {
      return kind == Kind.UPDATE && to != null && to.rollout() != null;
    }

    /** e.g. {@code 2026-11-21.1 -> 2026-11-21.1 + canary 2026-11-22.1 at 10%}. */
    public String describe() {
      String toText =
          to == null
              ? "(deleted)"
              : to.hasCanary()
                  ? to.release()
                      + " + canary "
                      + to.canaryRelease()
                      + " at "
                      + weight.toPlainString()
                      + "%"
                      + (to.affinity() == io.fctoolkit.core.Affinity.KEY ? " (key affinity)" : "")
                  : to.release()
                      + (to.rollout() != null && from != null
                          ? " by rollout (canary "
                              + to.rollout().steps().stream()
                                  .map(w -> w.toPlainString() + "%")
                                  .reduce((a, b) -> a + ", " + b)
                                  .orElse("")
                              + ", then 100%; checks: "
                              + to.rollout().gates().describe()
                              + ")"
                          : "");
      return (from == null ? "(new)" : from) + " -> " + toText;
    }
  }

  /**
   * A change to a trigger.
   *
   * @param function the function
   * @param trigger the trigger's name
   * @param kind create, update or delete
   * @param desired the trigger as Git declares it, or null for a delete
   * @param live the trigger as it runs now, or null for a create
   * @param changedFields for an update, the fields that differ
   * @param resetsOffsets whether the change makes the trigger read from a new consumer group, topic
   *     or cluster, so its committed offsets no longer apply
   * @param fromDrift whether the change undoes a change made outside Git
   */
  public record TriggerChange(
      String function,
      String trigger,
      Kind kind,
      TriggerSpec desired,
      TriggerSpec live,
      List<String> changedFields,
      boolean resetsOffsets,
      boolean fromDrift) {
    public TriggerChange {
      requireNonNull(function, "function");
      requireNonNull(trigger, "trigger");
      requireNonNull(kind, "kind");
      changedFields = List.copyOf(changedFields);
    }
  }

  /**
   * Live state that was changed outside Git.
   *
   * @param function the function
   * @param kind {@code alias}, {@code trigger}, or {@code rollout} (a release Git names failed its
   *     rollout on the platform)
   * @param name the alias or trigger name
   * @param description what differs
   * @param action what apply does about it under the environment's drift policy
   */
  public record Drift(
      String function, String kind, String name, String description, String action) {
    public Drift {
      requireNonNull(function, "function");
      requireNonNull(kind, "kind");
      requireNonNull(name, "name");
      requireNonNull(description, "description");
      requireNonNull(action, "action");
    }
  }
}
