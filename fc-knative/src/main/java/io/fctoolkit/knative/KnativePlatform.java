package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

import io.fabric8.knative.serving.v1.Revision;
import io.fabric8.knative.serving.v1.RevisionStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.PlatformObject;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.RolloutNote;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import io.fctoolkit.core.VersionMetrics;
import io.fctoolkit.knative.internal.AliasEntry;
import io.fctoolkit.knative.internal.Conditions;
import io.fctoolkit.knative.internal.Drift;
import io.fctoolkit.knative.internal.KnativeKinds;
import io.fctoolkit.knative.internal.Kube;
import io.fctoolkit.knative.internal.KubeTarget;
import io.fctoolkit.knative.internal.Names;
import io.fctoolkit.knative.internal.Routes;
import io.fctoolkit.knative.internal.ServiceState;
import io.fctoolkit.knative.internal.ServiceWrites;
import io.fctoolkit.knative.internal.ServiceWrites.Change;
import io.fctoolkit.knative.internal.Traffic;
import io.fctoolkit.knative.internal.TriggerManifests;
import io.fctoolkit.knative.internal.TriggerObjects;
import io.fctoolkit.knative.internal.VersionEntry;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * fc-toolkit's {@link Platform} on Knative, through the fabric8 Kubernetes client.
 *
 * <p>A function is a {@code serving.knative.dev/v1} Service; version N is its revision {@code
 * <function>-v<N>}; aliases are traffic tags and the primary alias owns the default route's split;
 * triggers are KafkaSources (with KafkaSinks and, for results, a Sequence). The versions and
 * aliases are also recorded as annotations on the Service, written in the same request as the
 * traffic, so describe and optimistic concurrency per alias never depend on a controller having
 * run. This class keeps the version and alias rules; Service writes, trigger objects, conditions,
 * routes and drift each have their own class in {@code internal}.
 */
public final class KnativePlatform implements Platform {

  private static final Duration POLL = Duration.ofMillis(500);

  private final Kube kube;
  private final KnativeOptions options;
  private final Consumer<FcEvent> events;
  private final String where;
  private final boolean ownsClient;
  private final ServiceWrites services;
  private final TriggerObjects triggers;
  private final Conditions conditions;
  private final Routes routes;
  private final Drift drift;

  private KnativePlatform(
      Kube kube, KnativeOptions options, Consumer<FcEvent> events, String where, boolean owns) {
    this.kube = requireNonNull(kube, "kube");
    this.options = requireNonNull(options, "options");
    this.events = requireNonNull(events, "events");
    this.where = requireNonNull(where, "where");
    this.ownsClient = owns;
    this.services = new ServiceWrites(kube, options, events);
    this.triggers = new TriggerObjects(kube, options, events, services);
    this.conditions = new Conditions(kube);
    this.routes = new Routes(kube, options, services);
    this.drift = new Drift(options);
  }

  /**
   * Connects through exactly the kube context an environment file names, to its namespace; never to
   * another cluster. A context the kubeconfig lacks, no kubeconfig, or a namespace the cluster
   * lacks is a {@link KubeContextException} naming {@code source}, the kubeconfig files and their
   * contexts.
   *
   * @param source the environment file that binds the platform, for errors
   * @param context the kube context, or null for the kubeconfig's current context (the file names
   *     none)
   */
  public static KnativePlatform connect(
      String source, String context, KnativeOptions options, Consumer<FcEvent> events) {
    KubeTarget target = KubeTarget.select(source, context, KubeTarget.kubeconfigFiles());
    KubernetesClient client = target.client();
    try {
      target.requireNamespace(client, options.namespace(), events);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return new KnativePlatform(
        new Kube(client, options.namespace()),
        options,
        events,
        "context " + target.context() + " at " + client.getConfiguration().getMasterUrl(),
        true);
  }

  /** Uses a client the caller owns (and closes); for tests and embedding. */
  public static KnativePlatform using(
      KubernetesClient client, KnativeOptions options, Consumer<FcEvent> events) {
    Kube kube = new Kube(client, options.namespace());
    return new KnativePlatform(kube, options, events, kube.address(), false);
  }

  /**
   * What Knative cannot express about these aliases and triggers, for plans: warnings are applied
   * with the stated change, errors are refused.
   */
  public static List<KnativeFinding> check(
      Map<String, AliasTarget> aliasesInOrder, List<TriggerSpec> triggers, String primaryAlias) {
    List<KnativeFinding> findings = new ArrayList<>();
    List<AliasEntry> entries = new ArrayList<>();
    aliasesInOrder.forEach((name, target) -> entries.add(new AliasEntry(name, target, 1, null)));
    String primary = Traffic.primary(entries, primaryAlias);
    for (AliasEntry a : entries) {
      Traffic.check(a.name(), a.target(), a.name().equals(primary), primary, findings);
    }
    for (TriggerSpec t : triggers) {
      TriggerManifests.check(t, findings);
    }
    return findings;
  }

  /** Whole percents as Knative routes them, e.g. 12.5 becomes 13. */
  public static int percent(BigDecimal weight) {
    return Traffic.percent(weight);
  }

  @Override
  public String target() {
    return "knative " + where + " namespace " + options.namespace();
  }

  @Override
  public PlatformCapabilities capabilities() {
    return new PlatformCapabilities(false, false, false, false);
  }

  public KnativeOptions options() {
    return options;
  }

  @Override
  public List<String> functions() {
    return kube
        .list(KnativeKinds.SERVICE, Map.of(Names.LABEL_MANAGED_BY, Names.FIELD_MANAGER))
        .stream()
        .map(s -> s.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Override
  public Optional<FunctionState> describe(String function) {
    Optional<GenericKubernetesResource> service = kube.get(KnativeKinds.SERVICE, function);
    if (service.isEmpty()) {
      return Optional.empty();
    }
    ServiceState state = ServiceState.of(service.get());
    drift
        .of(service.get(), state)
        .forEach(d -> events.accept(FcEvent.warn("Service " + function + " drifted: " + d)));
    List<Version> versions =
        state.versions().stream().map(v -> v.toVersion(state.created())).toList();
    List<Alias> aliases = state.aliases().stream().map(a -> toAlias(function, a)).toList();
    return Optional.of(new FunctionState(function, versions, aliases, triggers.list(function)));
  }

  /**
   * Where the Service differs from what fc-toolkit recorded in its annotations, i.e. what someone
   * changed outside fc-toolkit (kubectl edit, another tool): its traffic or its template. Empty
   * when they agree. The next fc-toolkit write restores the recorded state.
   */
  public List<String> drift(String function) {
    return kube.get(KnativeKinds.SERVICE, function)
        .map(s -> drift.of(s, ServiceState.of(s)))
        .orElse(List.of());
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    if (request.image() instanceof ImageSource.Archive archive) {
      throw new InvalidRequestException(
          "image",
          "Knative needs a registry image, but "
              + archive.tarball()
              + " is a local image archive that the cluster cannot pull",
          "push the image to a registry the cluster can reach and publish it by digest");
    }
    ImageSource.Registry registry = (ImageSource.Registry) request.image();
    String function = request.config().name();
    String contentId = Version.contentId(registry.digest(), request.config());
    PublishResult[] result = new PublishResult[1];
    services.write(
        function,
        state -> {
          Optional<VersionEntry> same =
              state.versions().stream().filter(v -> v.contentId().equals(contentId)).findFirst();
          if (same.isPresent()) {
            result[0] = new PublishResult(same.get().toVersion(state.created()), false);
            return null; // unchanged content: no write, so Knative makes no new revision
          }
          VersionEntry entry =
              VersionEntry.of(
                  state.nextVersion(),
                  registry.image(),
                  request.releaseId(),
                  Instant.now(),
                  request.config());
          List<VersionEntry> versions = new ArrayList<>(state.versions());
          versions.add(entry);
          result[0] = new PublishResult(entry.toVersion(state.created()), true);
          return new Change(versions, state.aliases());
        });
    Version version = result[0].version();
    String revision = Names.revision(function, version.number());
    if (!result[0].created()) {
      events.accept(
          FcEvent.lifecycle(
              "Content unchanged: "
                  + function
                  + " v"
                  + version.number()
                  + " (revision "
                  + revision
                  + ") already runs "
                  + registry.image().pinned()));
      return result[0];
    }
    events.accept(
        FcEvent.lifecycle(
            "Published "
                + function
                + " v"
                + version.number()
                + " as revision "
                + revision
                + " ("
                + registry.image().pinned()
                + ")"));
    if (!options.readyTimeout().isZero()) {
      awaitReady(function, version.number());
    }
    return result[0];
  }

  /** Waits for a new revision's Ready condition; takes the version back if it fails. */
  private void awaitReady(String function, int number) {
    String revision = Names.revision(function, number);
    long deadline = System.nanoTime() + options.readyTimeout().toNanos();
    String reason = "no Ready condition within " + options.readyTimeout();
    while (System.nanoTime() < deadline) {
      PlatformObject status = conditions.revision(revision).orElse(null);
      if (status != null && status.isReady()) {
        events.accept(FcEvent.info("Revision " + revision + " is Ready"));
        return;
      }
      if (status != null && status.isFailed()) {
        reason = status.reason() + ": " + status.message();
        break;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformUnavailableException(
            kube.address(), "interrupted while waiting for " + revision, null, e);
      }
    }
    services.write(
        function,
        state -> {
          List<VersionEntry> versions = new ArrayList<>(state.versions());
          versions.removeIf(v -> v.number() == number);
          if (versions.isEmpty()) {
            return null;
          }
          return new Change(versions, state.aliases());
        });
    kube.delete(KnativeKinds.REVISION, revision);
    events.accept(FcEvent.warn("Revision " + revision + " failed; version " + number + " removed"));
    throw new RevisionNotReadyException(revision, reason);
  }

  @Override
  public Alias putAlias(AliasUpdate update) {
    String function = update.function();
    conditions.requireNotFailed(function, update.target().version());
    if (update.target().hasCanary()) {
      conditions.requireNotFailed(function, update.target().canaryVersion());
    }
    Alias[] result = new Alias[1];
    services.write(
        function,
        state -> {
          ServiceWrites.requireExists(state);
          ServiceWrites.requireVersion(state, update.target().version());
          if (update.target().hasCanary()) {
            ServiceWrites.requireVersion(state, update.target().canaryVersion());
          }
          Optional<AliasEntry> current =
              state.aliases().stream().filter(a -> a.name().equals(update.alias())).findFirst();
          long actual = current.map(AliasEntry::revision).orElse(0L);
          if (update.expectedRevision() != null && update.expectedRevision() != actual) {
            throw ConflictException.staleRevision(
                "alias " + function + "/" + update.alias(), update.expectedRevision(), actual);
          }
          if (current.isPresent() && current.get().target().equals(update.target())) {
            result[0] = toAlias(function, current.get());
            return null; // already there: idempotent, revision unchanged
          }
          AliasEntry next =
              new AliasEntry(
                  update.alias(),
                  update.target(),
                  actual + 1,
                  current.map(AliasEntry::target).orElse(null));
          List<AliasEntry> aliases = new ArrayList<>(state.aliases());
          if (current.isPresent()) {
            aliases.set(aliases.indexOf(current.get()), next);
          } else {
            aliases.add(next);
          }
          result[0] = toAlias(function, next);
          return new Change(state.versions(), aliases);
        });
    events.accept(
        FcEvent.lifecycle(
            "Alias "
                + function
                + "/"
                + update.alias()
                + " -> "
                + result[0].target()
                + " (revision "
                + result[0].revision()
                + ")"));
    return result[0];
  }

  @Override
  public void deleteAlias(String function, String alias, Long expectedRevision) {
    for (TriggerSpec t : triggers.list(function)) {
      if (t.alias().equals(alias)) {
        throw new ConflictException(
            "alias " + function + "/" + alias + " is the target of trigger " + t.name(),
            "delete the trigger or point it at another alias first");
      }
    }
    services.write(
        function,
        state -> {
          ServiceWrites.requireExists(state);
          AliasEntry current =
              state.aliases().stream()
                  .filter(a -> a.name().equals(alias))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "alias",
                              function + "/" + alias,
                              "the function's status lists its aliases"));
          if (expectedRevision != null && expectedRevision != current.revision()) {
            throw ConflictException.staleRevision(
                "alias " + function + "/" + alias, expectedRevision, current.revision());
          }
          List<AliasEntry> aliases = new ArrayList<>(state.aliases());
          aliases.remove(current);
          return new Change(state.versions(), aliases);
        });
    events.accept(FcEvent.lifecycle("Deleted alias " + function + "/" + alias));
  }

  @Override
  public void deleteVersion(String function, int version) {
    services.write(
        function,
        state -> {
          ServiceWrites.requireExists(state);
          ServiceWrites.requireVersion(state, version);
          for (AliasEntry a : state.aliases()) {
            AliasTarget t = a.target();
            if (t.version() == version || (t.hasCanary() && t.canaryVersion() == version)) {
              throw new ConflictException(
                  "version " + version + " of " + function + " is in use by alias " + a.name(),
                  "move alias " + a.name() + " to another version first");
            }
          }
          if (version == state.templateVersion()) {
            throw new ConflictException(
                "version "
                    + version
                    + " of "
                    + function
                    + " is the Service's current template (newest version); Knative would"
                    + " recreate its revision",
                "publish a newer version first");
          }
          List<VersionEntry> versions = new ArrayList<>(state.versions());
          versions.removeIf(v -> v.number() == version);
          return new Change(versions, state.aliases());
        });
    kube.delete(KnativeKinds.REVISION, Names.revision(function, version));
    events.accept(
        FcEvent.lifecycle(
            "Deleted "
                + function
                + " v"
                + version
                + " ("
                + Names.revision(function, version)
                + ")"));
  }

  @Override
  public TriggerSpec putTrigger(TriggerSpec trigger) {
    return triggers.put(trigger);
  }

  @Override
  public void deleteTrigger(String function, String trigger) {
    triggers.delete(function, trigger);
  }

  /**
   * Flagger runs Knative rollouts from the manifests {@code fc:render} writes, so the plan shows
   * what it will do and what it cannot (docs/knative.md 2.6); this platform starts none itself.
   */
  @Override
  public List<RolloutNote> renderedRollout(
      String function,
      String alias,
      String field,
      RolloutStrategy strategy,
      List<TriggerSpec> triggers,
      List<String> otherAliases) {
    KnativeRenderer.RolloutPlan plan =
        KnativeRenderer.rolloutPlan(function, alias, field, strategy, triggers, otherAliases);
    List<RolloutNote> notes = new ArrayList<>();
    notes.add(new RolloutNote(RolloutNote.Severity.INFO, field, plan.summary()));
    for (KnativeFinding f : plan.findings()) {
      notes.add(
          new RolloutNote(
              f.isError() ? RolloutNote.Severity.ERROR : RolloutNote.Severity.WARNING,
              f.field(),
              f.message()));
    }
    return notes;
  }

  @Override
  public InvokeResponse invoke(InvokeRequest request) {
    return routes.invoke(request);
  }

  /**
   * The address of an alias's traffic tag: the URL the Service reports for the tag once Knative's
   * controller has routed it, else the cluster-local address Knative's default tag template gives
   * ({@code http://<alias>-<function>.<namespace>.svc.cluster.local}).
   *
   * @throws NotFoundException when the function or the alias does not exist
   */
  @Override
  public Optional<URI> aliasAddress(String function, String alias) {
    return Optional.of(routes.tagAddress(function, alias));
  }

  @Override
  public FunctionMetrics metrics(String function) {
    ServiceState state = services.read(function);
    ServiceWrites.requireExists(state);
    List<VersionMetrics> versions = new ArrayList<>();
    for (VersionEntry v : state.versions()) {
      int instances =
          kube.revision(Names.revision(function, v.number()))
              .map(Revision::getStatus)
              .map(RevisionStatus::getActualReplicas)
              .orElse(0);
      // Request figures live in Knative's Prometheus metrics, not in the API objects.
      versions.add(new VersionMetrics(v.number(), 0, 0, 0, 0, 0, 0, 0, instances, 0, 0));
    }
    return new FunctionMetrics(function, versions, conditions.triggers(function));
  }

  /**
   * The Ready condition of every object of a function: the Service, the revisions of its versions
   * and the objects of its triggers.
   */
  @Override
  public List<PlatformObject> objects(String function) {
    return conditions.objects(function);
  }

  /** Knative routes whole percents: 12.5 becomes 13. */
  @Override
  public BigDecimal routedWeight(BigDecimal weight) {
    return BigDecimal.valueOf(Traffic.percent(weight));
  }

  @Override
  public Optional<String> logLocation(String function, int version) {
    // Version 0: the response did not say which version served it; then every revision's log.
    String selector =
        version > 0
            ? "serving.knative.dev/revision=" + Names.revision(function, version)
            : "serving.knative.dev/service=" + function;
    return Optional.of(
        "kubectl logs -n " + options.namespace() + " -l " + selector + " -c user-container");
  }

  @Override
  public void close() {
    if (ownsClient) {
      kube.client().close();
    }
  }

  private static Alias toAlias(String function, AliasEntry a) {
    return new Alias(function, a.name(), a.target(), a.revision(), a.previous());
  }
}
