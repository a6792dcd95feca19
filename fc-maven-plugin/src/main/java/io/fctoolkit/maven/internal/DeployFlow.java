package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.gitops.EnvironmentFunction;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.PlatformBinding;
import io.fctoolkit.core.gitops.TriggerBinding;
import io.fctoolkit.core.gitops.TriggerDecl;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What {@code fc:deploy} does once the image is built and the platform connected, with no Maven
 * type in sight so that it is tested against any {@link Platform}: publish a version (the same
 * content publishes none), move the alias to it, apply the triggers, and gather what the summary
 * prints.
 */
public final class DeployFlow {

  /** Runs a named step and records how long it took (the mojo's {@code FcContext.step}). */
  public interface Steps {
    <T> T step(String name, Supplier<T> work);

    /** Runs the work untimed, for tests. */
    static Steps untimed() {
      return new Steps() {
        @Override
        public <T> T step(String name, Supplier<T> work) {
          return work.get();
        }
      };
    }
  }

  /**
   * One deployment.
   *
   * @param config the function's configuration
   * @param image the built image
   * @param releaseId the Git release the version is published under, or null
   * @param alias the alias to move to the version
   * @param triggers the triggers to apply (see {@link #triggers})
   * @param rollout how the alias moves to the version step by step, or null to move it at once
   */
  public record Request(
      FunctionConfig config,
      ImageSource image,
      String releaseId,
      String alias,
      List<TriggerSpec> triggers,
      DeployRollout rollout) {

    /** A deployment that moves the alias at once. */
    public Request(
        FunctionConfig config,
        ImageSource image,
        String releaseId,
        String alias,
        List<TriggerSpec> triggers) {
      this(config, image, releaseId, alias, triggers, null);
    }

    public Request {
      requireNonNull(config, "config");
      requireNonNull(image, "image");
      requireNonNull(alias, "alias");
      triggers = List.copyOf(triggers);
    }
  }

  /**
   * What a deployment did.
   *
   * @param published the version, and whether it is new
   * @param alias the alias as it is now
   * @param triggers one line per trigger: applied (with lag where known) or why not
   * @param invokeUrl where the alias answers, or null when the platform has no address for it
   * @param rollout the rollout the deploy started, or null when it moved the alias at once
   */
  public record Result(
      PublishResult published,
      Alias alias,
      List<String> triggers,
      String invokeUrl,
      RolloutStatus rollout) {

    public Result(PublishResult published, Alias alias, List<String> triggers, String invokeUrl) {
      this(published, alias, triggers, invokeUrl, null);
    }

    public Result {
      requireNonNull(published, "published");
      requireNonNull(alias, "alias");
      triggers = List.copyOf(triggers);
    }
  }

  private final Platform platform;
  private final Consumer<FcEvent> events;
  private final Steps steps;

  public DeployFlow(Platform platform, Consumer<FcEvent> events, Steps steps) {
    this.platform = requireNonNull(platform, "platform");
    this.events = requireNonNull(events, "events");
    this.steps = requireNonNull(steps, "steps");
  }

  /** Publishes, moves the alias, applies the triggers. */
  public Result run(Request request) {
    String name = request.config().name();
    requireImageFor(platform, request.image());
    events.accept(FcEvent.lifecycle("Publishing to " + platform.target()));
    PublishResult published =
        steps.step(
            "publish",
            () ->
                platform.publish(
                    new PublishRequest(request.config(), request.image(), request.releaseId())));
    int version = published.version().number();
    events.accept(
        FcEvent.lifecycle(
            published.created()
                ? "Published version " + version
                : "No new version: v" + version + " already has this image and configuration"));
    RolloutStatus[] started = new RolloutStatus[1];
    Alias moved =
        steps.step(
            "alias",
            () -> {
              Optional<Alias> current =
                  platform
                      .describe(name)
                      .flatMap((FunctionState state) -> state.alias(request.alias()));
              if (request.rollout() == null
                  || current.isEmpty()
                  || current.get().target().equals(AliasTarget.of(version))) {
                if (request.rollout() != null) {
                  events.accept(
                      FcEvent.lifecycle(
                          "No rollout: alias "
                              + request.alias()
                              + (current.isEmpty() ? " is new" : " already serves v" + version)
                              + ", so there is nothing to roll out from"));
                }
                return moveAlias(name, request.alias(), version);
              }
              started[0] = rollOut(request, current.get(), version);
              return platform
                  .describe(name)
                  .flatMap(s -> s.alias(request.alias()))
                  .orElse(current.get());
            });
    List<String> triggers = steps.step("triggers", () -> applyTriggers(request.triggers()));
    if (!triggers.isEmpty()) {
      triggers = withLag(name, triggers);
    }
    return new Result(published, moved, triggers, invokeUrl(name, request.alias()), started[0]);
  }

  /**
   * Starts the platform's rollout of {@code version} on the alias (which serves another version)
   * instead of moving it; a rollout its smoke invocations stopped fails the deploy, the alias
   * untouched.
   */
  private RolloutStatus rollOut(Request request, Alias current, int version) {
    String name = request.config().name();
    if (!platform.supportsRollouts()) {
      throw new InvalidRequestException(
          "rollout",
          platform.target()
              + " runs no rollouts started by fc:deploy ("
              + request.rollout().source()
              + ")",
          "deploy with -Dfc.rollout=false to move the alias at once, or promote through Git and"
              + " let the platform's rollout controller (Flagger on Knative) run it");
    }
    RolloutStatus status =
        platform.startRollout(
            new RolloutRequest(
                name,
                request.alias(),
                version,
                request.releaseId(),
                request.rollout().strategy(),
                current.revision(),
                request.rollout().smoke()));
    if (status.state() == RolloutStatus.State.ROLLED_BACK) {
      throw new FcException(
          "the rollout of v"
              + version
              + " on alias "
              + request.alias()
              + " stopped before its first step: "
              + status.reason()
              + "; the alias still serves "
              + current.target(),
          "fix the function (or its smoke fixture in gitops/functions/"
              + name
              + "/smoke/) and deploy again");
    }
    List<java.math.BigDecimal> weights = request.rollout().strategy().steps();
    events.accept(
        FcEvent.lifecycle(
            "Rolling out v"
                + version
                + " on alias "
                + request.alias()
                + " ("
                + request.rollout().source()
                + "): "
                + status.weight().toPlainString()
                + "% now, step 1 of "
                + weights.size()
                + (request.rollout().smoke().isEmpty()
                    ? ""
                    : ", after " + request.rollout().smoke().size() + " smoke invocation(s) passed")
                + "; the platform moves it on as its checks pass and rolls it back by itself"));
    return status;
  }

  /**
   * Refuses an image the platform cannot run before anything is written: a local archive on a
   * platform that pulls from registries (Knative).
   */
  public static void requireImageFor(Platform platform, ImageSource image) {
    if (image instanceof ImageSource.Archive archive && !platform.capabilities().archiveImages()) {
      throw archiveRefused(platform.target(), "the local image archive " + archive.tarball());
    }
  }

  /**
   * Refuses, before the build, a local-only image target for an environment whose platform pulls
   * images from a registry.
   */
  public static void requireRegistryTarget(EnvironmentSpec environment, boolean archiveTarget) {
    if (archiveTarget && !(environment.platform() instanceof PlatformBinding.Local)) {
      throw archiveRefused(
          "environment '" + environment.name() + "' (" + environment.file() + ")",
          "a local image archive");
    }
  }

  private static InvalidRequestException archiveRefused(String where, String what) {
    return new InvalidRequestException(
        "image",
        "fc:deploy to "
            + where
            + " needs a registry image: Knative pulls images by digest from a registry, and "
            + what
            + " (what fc:deploy builds when no <image> is set) never reaches the cluster",
        "push to a registry the cluster can reach: set <image> in the fc plugin's configuration"
            + " or pass -Dfc.image=registry.example.com/team/<function> (credentials from a"
            + " settings.xml <server> whose id is the registry host); fc:deploy publishes it by"
            + " digest");
  }

  /**
   * The triggers a deployment applies. Without an environment (the {@code local} runtime): every
   * trigger of the function file, invoking the deployed alias, on the runtime's broker. In an
   * environment of gitops/: as {@code fc:plan} reads them, so that a deploy and an apply agree: the
   * binding's alias (else the function file's), its ordering, the environment's Kafka cluster, and
   * none that the environment disables.
   */
  public static List<TriggerSpec> triggers(
      Optional<FunctionSpec> function, EnvironmentSpec environment, String alias) {
    List<TriggerSpec> out = new ArrayList<>();
    if (function.isEmpty()) {
      return out;
    }
    FunctionSpec fn = function.get();
    if (environment == null) {
      for (TriggerDecl decl : fn.triggers()) {
        out.add(decl.toSpec(fn.name(), alias, null));
      }
      return out;
    }
    Optional<EnvironmentFunction> envFunction = environment.function(fn.name());
    for (TriggerDecl decl : fn.triggers()) {
      Optional<TriggerBinding> binding = envFunction.flatMap(f -> f.trigger(decl.name()));
      if (binding.isPresent() && !binding.get().enabled()) {
        continue;
      }
      String bound = binding.map(TriggerBinding::alias).orElse(null);
      TriggerSpec spec =
          decl.toSpec(
              fn.name(), bound != null ? bound : decl.alias(), environment.bootstrapServers());
      Ordering ordering = binding.map(TriggerBinding::ordering).orElse(null);
      if (ordering != null) {
        spec = spec.toBuilder().ordering(ordering).build();
      }
      out.add(spec);
    }
    return out;
  }

  /**
   * The release a build is published under in an environment of gitops/: the one whose image has
   * the build's digest, so that {@code fc:plan} sees it as live; else, on a local environment, the
   * tag-named release the alias points at (the inner loop's moving release, as {@code fc:deploy} to
   * {@code local} does for {@code dev}); null when Git has not recorded this build there.
   */
  public static String releaseId(
      EnvironmentSpec environment, String function, String alias, String digest) {
    Optional<EnvironmentFunction> envFunction = environment.function(function);
    Optional<String> byDigest =
        envFunction.stream()
            .flatMap(f -> f.releases().stream())
            .filter(r -> r.image().isPinned() && digest.equals(r.image().digest()))
            .map(Release::id)
            .reduce((first, second) -> second);
    if (byDigest.isPresent() || !environment.allowsTags()) {
      return byDigest.orElse(null);
    }
    return envFunction
        .flatMap(f -> f.alias(alias).flatMap(a -> f.release(a.release())))
        .filter(r -> !r.image().isPinned())
        .map(Release::id)
        .orElse(null);
  }

  private Alias moveAlias(String name, String alias, int version) {
    Optional<Alias> current =
        platform.describe(name).flatMap((FunctionState state) -> state.alias(alias));
    AliasTarget target = AliasTarget.of(version);
    if (current.isPresent() && current.get().target().equals(target)) {
      events.accept(FcEvent.lifecycle("Alias " + alias + " already points at v" + version));
      return current.get();
    }
    // The revision we saw: if another pipeline moves the alias meanwhile, the platform refuses.
    long expected = current.map(Alias::revision).orElse(0L);
    Alias moved = platform.putAlias(new AliasUpdate(name, alias, target, expected));
    events.accept(
        FcEvent.lifecycle(
            "Moved alias "
                + alias
                + " to v"
                + version
                + current.map(a -> " (was " + a.target() + ")").orElse(" (new alias)")));
    return moved;
  }

  /** Adds each trigger's total lag, as far as the platform reports it. */
  private List<String> withLag(String name, List<String> triggers) {
    try {
      FunctionMetrics metrics = platform.metrics(name);
      List<String> out = new ArrayList<>();
      for (String trigger : triggers) {
        String triggerName = trigger.substring(0, trigger.indexOf(' '));
        Optional<TriggerStatus> status =
            metrics.triggers().stream().filter(t -> t.trigger().equals(triggerName)).findFirst();
        out.add(status.map(s -> trigger + lag(s)).orElse(trigger));
      }
      return out;
    } catch (FcException e) {
      events.accept(FcEvent.info("no trigger lag: " + e.getMessage()));
      return triggers;
    }
  }

  /** " lag N (STATE)", or only the state where no partition is reported (Knative). */
  private static String lag(TriggerStatus status) {
    if (status.partitions().isEmpty()) {
      return " (" + status.state() + ")";
    }
    return " lag "
        + status.partitions().stream().mapToLong(PartitionStatus::lag).sum()
        + " ("
        + status.state()
        + ")";
  }

  private List<String> applyTriggers(List<TriggerSpec> wanted) {
    List<String> applied = new ArrayList<>();
    for (TriggerSpec trigger : wanted) {
      try {
        platform.putTrigger(trigger);
        applied.add(trigger.name() + " (topic " + trigger.topic() + " -> " + trigger.alias() + ")");
      } catch (FcException e) {
        events.accept(FcEvent.warn("Trigger " + trigger.name() + " not applied: " + e.describe()));
        applied.add(trigger.name() + " NOT applied: " + e.getMessage());
      }
    }
    return applied;
  }

  private String invokeUrl(String name, String alias) {
    return platform.aliasAddress(name, alias).map(URI::toString).orElse(null);
  }
}
