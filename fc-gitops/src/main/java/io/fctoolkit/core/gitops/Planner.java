package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.RolloutNote;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares an environment's desired state (Git) with its live platform and says what apply would
 * change. Read-only: planning never changes the platform.
 */
public final class Planner {

  private final GitOpsRepository repository;

  public Planner(GitOpsRepository repository) {
    this.repository = requireNonNull(repository, "repository");
  }

  /** Plans environment {@code environment} against {@code platform}. */
  public Plan plan(String environment, Platform platform) {
    EnvironmentSpec env = repository.environment(environment);
    PlatformCapabilities caps = platform.capabilities();
    List<Plan.Publish> publishes = new ArrayList<>();
    List<Plan.AliasChange> aliases = new ArrayList<>();
    List<Plan.TriggerChange> triggers = new ArrayList<>();
    List<Plan.Drift> drift = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (EnvironmentFunction envFunction : env.functions()) {
      FunctionSpec function = repository.function(envFunction.name());
      FunctionState live =
          platform
              .describe(function.name())
              .orElse(new FunctionState(function.name(), List.of(), List.of(), List.of()));
      new FunctionPlanner(
              repository,
              env,
              envFunction,
              function,
              live,
              caps,
              platform,
              publishes,
              aliases,
              triggers,
              drift,
              warnings,
              errors)
          .plan();
    }
    return new Plan(
        env.name(),
        platform.target(),
        env.driftPolicy(),
        publishes,
        aliases,
        triggers,
        drift,
        warnings,
        errors);
  }

  /** The plan of one function; holds the release/version mapping while it is built. */
  private static final class FunctionPlanner {
    private final GitOpsRepository repository;
    private final EnvironmentSpec env;
    private final EnvironmentFunction envFunction;
    private final FunctionSpec function;
    private final FunctionState live;
    private final PlatformCapabilities caps;
    private final Platform platform;
    private final List<Plan.Publish> publishes;
    private final List<Plan.AliasChange> aliases;
    private final List<Plan.TriggerChange> triggers;
    private final List<Plan.Drift> drift;
    private final List<String> warnings;
    private final List<String> errors;
    private final FunctionConfig config;
    private final Map<String, Integer> versionOfRelease = new LinkedHashMap<>();
    private final Map<Integer, String> releaseOfVersion = new HashMap<>();
    // Versions of a Git release's image (or release id) published with an older configuration:
    // known to Git, so an alias on them is a pending change, not drift.
    private final Map<Integer, String> staleReleaseOfVersion = new HashMap<>();

    FunctionPlanner(
        GitOpsRepository repository,
        EnvironmentSpec env,
        EnvironmentFunction envFunction,
        FunctionSpec function,
        FunctionState live,
        PlatformCapabilities caps,
        Platform platform,
        List<Plan.Publish> publishes,
        List<Plan.AliasChange> aliases,
        List<Plan.TriggerChange> triggers,
        List<Plan.Drift> drift,
        List<String> warnings,
        List<String> errors) {
      this.repository = repository;
      this.env = env;
      this.envFunction = envFunction;
      this.function = function;
      this.live = live;
      this.caps = caps;
      this.platform = platform;
      this.publishes = publishes;
      this.aliases = aliases;
      this.triggers = triggers;
      this.drift = drift;
      this.warnings = warnings;
      this.errors = errors;
      this.config = function.config();
    }

    void plan() {
      planReleases();
      planAliases();
      planTriggers();
    }

    private void planReleases() {
      // A version is known to Git when any environment's release names its image or id: after a
      // reverted promotion prod's file no longer lists the release, but dev still does.
      List<Release> everywhere = new ArrayList<>();
      repository.environments().values().stream()
          .sorted(Comparator.comparing((EnvironmentSpec e) -> !e.name().equals(env.name())))
          .forEach(
              e -> e.function(function.name()).ifPresent(f -> everywhere.addAll(f.releases())));
      for (Version version : live.versions()) {
        for (Release release : everywhere) {
          if (release.id().equals(version.releaseId())
              || version.imageDigest().equals(release.image().digest())) {
            staleReleaseOfVersion.putIfAbsent(
                version.number(),
                release.id()
                    + (version.contentId().equals(contentIdOf(release))
                        ? ""
                        : " (v" + version.number() + ", older config)"));
          }
        }
      }
      for (Release release : envFunction.releases()) {
        Optional<Version> version = liveVersion(release);
        if (version.isPresent()) {
          versionOfRelease.put(release.id(), version.get().number());
          releaseOfVersion.putIfAbsent(version.get().number(), release.id());
        } else if (release.image().isPinned()) {
          publishes.add(
              new Plan.Publish(
                  function.name(),
                  release,
                  config,
                  Version.contentId(release.image().digest(), config)));
        } else if (isReferenced(release.id())) {
          errors.add(
              function.name()
                  + " release "
                  + release.id()
                  + " names its image by tag ("
                  + release.image()
                  + ") and no live version carries it with the current configuration; deploy"
                  + " it (a deploy publishes the image and records the release by digest), or"
                  + " pin the image by digest");
        }
      }
    }

    /**
     * The live version of a release: the one with its content id. A tag-only release (allowed in
     * {@code local} only) has no content id before it is published, so it is the newest version
     * published for that release id with the current configuration.
     */
    private Optional<Version> liveVersion(Release release) {
      if (release.image().isPinned()) {
        return live.versionWithContent(Version.contentId(release.image().digest(), config));
      }
      String hash = config.configHash();
      return live.versions().stream()
          .filter(v -> release.id().equals(v.releaseId()))
          .filter(v -> v.config().configHash().equals(hash))
          .max(Comparator.comparingInt(Version::number));
    }

    private String contentIdOf(Release release) {
      return release.image().isPinned() ? Version.contentId(release.image().digest(), config) : "";
    }

    /**
     * Whether the desired releases are the live versions. Two release ids can map to one version:
     * the tag release {@code fc:deploy} published under and the release by digest it then recorded.
     */
    private static boolean sameVersions(Integer version, Integer canaryVersion, AliasTarget live) {
      return version != null
          && version == live.version()
          && Objects.equals(canaryVersion, live.canaryVersion());
    }

    private boolean isReferenced(String releaseId) {
      return envFunction.aliases().stream()
          .anyMatch(a -> a.release().equals(releaseId) || releaseId.equals(a.canaryRelease()));
    }

    private void planAliases() {
      for (AliasSpec desired : envFunction.aliases()) {
        BigDecimal weight = desired.weight();
        if (desired.hasCanary() && !caps.decimalWeights() && weight.scale() > 0) {
          BigDecimal rounded = weight.setScale(0, RoundingMode.HALF_UP);
          warnings.add(
              function.name()
                  + " alias "
                  + desired.name()
                  + ": weight "
                  + weight.toPlainString()
                  + "% is rounded to "
                  + rounded.toPlainString()
                  + "% because this platform has no decimal weights");
          weight = rounded;
        }
        if (desired.hasCanary() && desired.affinity() == Affinity.KEY && !caps.keyAffinity()) {
          errors.add(
              function.name()
                  + " alias "
                  + desired.name()
                  + ": affinity key is not supported by this platform (it cannot route by a hash"
                  + " of the routing key); use affinity none here");
        }
        if (desired.rollout() != null && !platform.supportsRollouts()) {
          planRenderedRollout(desired);
        }
        Integer version = versionOfRelease.get(desired.release());
        Integer canaryVersion =
            desired.hasCanary() ? versionOfRelease.get(desired.canaryRelease()) : null;
        Optional<Alias> current = live.alias(desired.name());
        if (current.isEmpty()) {
          aliases.add(
              new Plan.AliasChange(
                  function.name(),
                  desired.name(),
                  Plan.Kind.CREATE,
                  null,
                  desired,
                  weight,
                  version,
                  canaryVersion,
                  0,
                  false));
          continue;
        }
        AliasTarget target = current.get().target();
        if (desired.rollout() != null && rolloutSettled(desired, version, target)) {
          continue;
        }
        String primary = releaseOfVersion.get(target.version());
        String canary = target.hasCanary() ? releaseOfVersion.get(target.canaryVersion()) : null;
        boolean unknown =
            !known(target.version()) || (target.hasCanary() && !known(target.canaryVersion()));
        String from = describe(target);
        boolean drifted = false;
        if (unknown) {
          drifted = true;
          String action = driftAction("moved back to Git's " + desired.describe());
          drift.add(
              new Plan.Drift(
                  function.name(),
                  "alias",
                  desired.name(),
                  "points at " + from + ", which no release in Git maps to",
                  action));
          if (env.driftPolicy() == DriftPolicy.REPORT) {
            continue;
          }
        } else if ((sameVersions(version, canaryVersion, target)
                || (Objects.equals(primary, desired.release())
                    && Objects.equals(canary, desired.canaryRelease())))
            && (!desired.hasCanary()
                || (target.canaryWeight().compareTo(weight) == 0
                    && target.affinity() == desired.affinity()))) {
          continue;
        }
        aliases.add(
            new Plan.AliasChange(
                function.name(),
                desired.name(),
                Plan.Kind.UPDATE,
                from,
                desired,
                weight,
                version,
                canaryVersion,
                current.get().revision(),
                drifted));
      }
      for (Alias extra : live.aliases()) {
        if (envFunction.alias(extra.name()).isPresent()) {
          continue;
        }
        drift.add(
            new Plan.Drift(
                function.name(),
                "alias",
                extra.name(),
                "exists on the platform (" + describe(extra.target()) + ") but not in Git",
                driftAction("deleted")));
        if (env.driftPolicy() == DriftPolicy.OVERWRITE) {
          aliases.add(
              new Plan.AliasChange(
                  function.name(),
                  extra.name(),
                  Plan.Kind.DELETE,
                  describe(extra.target()),
                  null,
                  BigDecimal.ZERO,
                  null,
                  null,
                  extra.revision(),
                  true));
        }
      }
    }

    /**
     * A rollout on a platform that runs none itself: what the controller its rendered manifests are
     * made for will do (Knative: Flagger), each field it runs differently as a warning and each it
     * cannot run as an error, all at the field's path in the environment file; refused where the
     * platform renders no rollouts either.
     */
    private void planRenderedRollout(AliasSpec desired) {
      String field =
          "functions."
              + function.name()
              + ".aliases["
              + envFunction.aliases().indexOf(desired)
              + "].rollout";
      List<TriggerSpec> invoking = new ArrayList<>();
      for (TriggerDecl decl : function.triggers()) {
        Optional<TriggerBinding> binding = envFunction.trigger(decl.name());
        if (binding.isPresent() && !binding.get().enabled()) {
          continue;
        }
        String alias = binding.map(TriggerBinding::alias).orElse(null);
        TriggerSpec spec =
            decl.toSpec(
                function.name(), alias != null ? alias : decl.alias(), env.bootstrapServers());
        if (spec.alias().equals(desired.name())) {
          invoking.add(spec);
        }
      }
      List<String> others =
          envFunction.aliases().stream()
              .map(AliasSpec::name)
              .filter(n -> !n.equals(desired.name()))
              .toList();
      List<RolloutNote> notes =
          platform.renderedRollout(
              function.name(), desired.name(), field, desired.rollout(), invoking, others);
      if (notes.isEmpty()) {
        errors.add(
            function.name()
                + " alias "
                + desired.name()
                + ": progressive rollouts are not supported on "
                + platform.target()
                + " yet; remove 'rollout' and move the canary weight step by step in Git");
        return;
      }
      for (RolloutNote note : notes) {
        String line =
            function.name()
                + " alias "
                + desired.name()
                + ": "
                + note.field()
                + ": "
                + note.message();
        (note.severity() == RolloutNote.Severity.ERROR ? errors : warnings).add(line);
      }
    }

    /**
     * Whether the alias needs no change because of its rollout: one of {@code version} is under way
     * (the platform moves it), or it failed and the alias is back at its primary. A failed release
     * is never applied again blindly: the plan reports it as drift until Git names another release
     * (the rollback written to Git, or a new release).
     */
    private boolean rolloutSettled(AliasSpec desired, Integer version, AliasTarget target) {
      if (version == null || !platform.supportsRollouts()) {
        return false;
      }
      Optional<RolloutStatus> latest = platform.rollout(function.name(), desired.name());
      if (latest.isEmpty() || latest.get().canaryVersion() != version) {
        return false;
      }
      RolloutStatus r = latest.get();
      String step =
          "step "
              + (r.step() + 1)
              + " of "
              + r.strategy().steps().size()
              + " ("
              + r.weight().toPlainString()
              + "%)";
      if (!r.state().finished()) {
        warnings.add(
            function.name()
                + " alias "
                + desired.name()
                + ": rollout of "
                + desired.release()
                + (r.state() == RolloutStatus.State.PROGRESSING
                    ? " in progress at "
                    : " " + r.state().name().toLowerCase(java.util.Locale.ROOT) + " at ")
                + step
                + ", "
                + r.samples()
                + " canary samples in this step");
        return true;
      }
      boolean failed =
          r.state() == RolloutStatus.State.ROLLED_BACK || r.state() == RolloutStatus.State.ABORTED;
      if (failed && !target.hasCanary() && target.version() == r.primaryVersion()) {
        drift.add(
            new Plan.Drift(
                function.name(),
                "rollout",
                desired.name(),
                "release "
                    + desired.release()
                    + " failed its rollout at step "
                    + (r.step() + 1)
                    + " ("
                    + r.strategy().steps().get(r.step()).toPlainString()
                    + "%): "
                    + r.reason()
                    + "; the alias serves "
                    + name(r.primaryVersion())
                    + " again while Git still names "
                    + desired.release(),
                "not applied again: write the rollback to Git (the alias back to "
                    + name(r.primaryVersion())
                    + "), or promote a new release"));
        return true;
      }
      return false;
    }

    private boolean known(int version) {
      return releaseOfVersion.containsKey(version) || staleReleaseOfVersion.containsKey(version);
    }

    private String name(int version) {
      return releaseOfVersion.getOrDefault(
          version, staleReleaseOfVersion.getOrDefault(version, "v" + version));
    }

    /** A live target in Git's terms: release ids where Git knows the version, else numbers. */
    private String describe(AliasTarget target) {
      String primary = name(target.version());
      if (!target.hasCanary()) {
        return primary;
      }
      String canary = name(target.canaryVersion());
      return primary
          + " + canary "
          + canary
          + " at "
          + target.canaryWeight().toPlainString()
          + "%"
          + (target.affinity() == Affinity.KEY ? " (key affinity)" : "");
    }

    private String driftAction(String overwrite) {
      return switch (env.driftPolicy()) {
        case FAIL -> "blocks apply (driftPolicy fail)";
        case OVERWRITE -> overwrite + " (driftPolicy overwrite)";
        case REPORT -> "left as is (driftPolicy report)";
      };
    }

    private void planTriggers() {
      List<String> desiredNames = new ArrayList<>();
      for (TriggerDecl decl : function.triggers()) {
        Optional<TriggerBinding> binding = envFunction.trigger(decl.name());
        Optional<TriggerSpec> current = live.trigger(decl.name());
        if (binding.isPresent() && !binding.get().enabled()) {
          desiredNames.add(decl.name());
          current.ifPresent(
              t ->
                  triggers.add(
                      new Plan.TriggerChange(
                          function.name(),
                          decl.name(),
                          Plan.Kind.DELETE,
                          null,
                          t,
                          List.of(),
                          false,
                          false)));
          continue;
        }
        String alias = binding.map(TriggerBinding::alias).orElse(null);
        TriggerSpec desired =
            decl.toSpec(
                function.name(), alias != null ? alias : decl.alias(), env.bootstrapServers());
        Ordering override = binding.map(TriggerBinding::ordering).orElse(null);
        if (override != null) {
          desired = desired.toBuilder().ordering(override).build();
        }
        desiredNames.add(decl.name());
        if (desired.ordering() == Ordering.KEY && !caps.keyOrdering()) {
          errors.add(
              function.name()
                  + " trigger "
                  + desired.name()
                  + ": ordering key is not supported by this platform; use ordering partition"
                  + " (in sequence per partition) or none, in the function file or for this"
                  + " environment only with 'ordering: partition' on the trigger's binding in "
                  + env.file());
        }
        if (current.isEmpty()) {
          triggers.add(
              new Plan.TriggerChange(
                  function.name(),
                  desired.name(),
                  Plan.Kind.CREATE,
                  desired,
                  null,
                  List.of(),
                  false,
                  false));
          continue;
        }
        List<String> changed = changedFields(current.get(), desired);
        if (changed.isEmpty()) {
          continue;
        }
        boolean resets =
            changed.contains("consumerGroup")
                || changed.contains("topic")
                || changed.contains("bootstrapServers");
        triggers.add(
            new Plan.TriggerChange(
                function.name(),
                desired.name(),
                Plan.Kind.UPDATE,
                desired,
                current.get(),
                changed,
                resets,
                false));
      }
      for (TriggerSpec extra : live.triggers()) {
        if (desiredNames.contains(extra.name())) {
          continue;
        }
        drift.add(
            new Plan.Drift(
                function.name(),
                "trigger",
                extra.name(),
                "exists on the platform (topic "
                    + extra.topic()
                    + " -> alias "
                    + extra.alias()
                    + ") but not in Git",
                driftAction("deleted")));
        if (env.driftPolicy() == DriftPolicy.OVERWRITE) {
          triggers.add(
              new Plan.TriggerChange(
                  function.name(),
                  extra.name(),
                  Plan.Kind.DELETE,
                  null,
                  extra,
                  List.of(),
                  false,
                  true));
        }
      }
    }

    private static List<String> changedFields(TriggerSpec live, TriggerSpec desired) {
      Map<String, Object> a = live.fields();
      Map<String, Object> b = desired.fields();
      List<String> changed = new ArrayList<>();
      for (String field : a.keySet()) {
        if (!Objects.equals(a.get(field), b.get(field))) {
          changed.add(field);
        }
      }
      return changed;
    }
  }
}
