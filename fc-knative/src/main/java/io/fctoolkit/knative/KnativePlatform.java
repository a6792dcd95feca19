package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

import io.fabric8.knative.pkg.apis.Condition;
import io.fabric8.knative.serving.v1.Revision;
import io.fabric8.knative.serving.v1.RevisionStatus;
import io.fabric8.knative.serving.v1.ServiceStatus;
import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.Version;
import io.fctoolkit.core.VersionMetrics;
import io.fctoolkit.knative.internal.AliasEntry;
import io.fctoolkit.knative.internal.Json;
import io.fctoolkit.knative.internal.Kinds;
import io.fctoolkit.knative.internal.Kube;
import io.fctoolkit.knative.internal.Names;
import io.fctoolkit.knative.internal.ServiceManifest;
import io.fctoolkit.knative.internal.ServiceState;
import io.fctoolkit.knative.internal.Traffic;
import io.fctoolkit.knative.internal.TriggerCodec;
import io.fctoolkit.knative.internal.TriggerManifests;
import io.fctoolkit.knative.internal.VersionEntry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * fc-toolkit's {@link Platform} on Knative, through the fabric8 Kubernetes client.
 *
 * <p>A function is a {@code serving.knative.dev/v1} Service; version N is its revision {@code
 * <function>-v<N>}; aliases are traffic tags and the primary alias owns the default route's split;
 * triggers are KafkaSources (with KafkaSinks and, for results, a Sequence). The versions and
 * aliases are also recorded as annotations on the Service, written in the same request as the
 * traffic, so describe and optimistic concurrency per alias never depend on a controller having
 * run. Every Service write is a server-side apply guarded by the resourceVersion that was read.
 */
public final class KnativePlatform implements Platform {

  /** Bounded retries of a read-modify-write when another writer changed the Service meanwhile. */
  private static final int WRITE_ATTEMPTS = 3;

  private static final Duration POLL = Duration.ofMillis(500);

  private final Kube kube;
  private final KnativeOptions options;
  private final Consumer<FcEvent> events;
  private final boolean ownsClient;

  private KnativePlatform(
      KubernetesClient client, KnativeOptions options, Consumer<FcEvent> events, boolean owns) {
    this.kube = new Kube(requireNonNull(client, "client"), options.namespace());
    this.options = requireNonNull(options, "options");
    this.events = requireNonNull(events, "events");
    this.ownsClient = owns;
  }

  /**
   * Connects through a kube context (null for the current one) to a namespace, with the default
   * options.
   */
  public static KnativePlatform connect(
      String context, String namespace, Consumer<FcEvent> events) {
    return connect(context, KnativeOptions.of(namespace), events);
  }

  /** Connects through a kube context (null for the current one) with these options. */
  public static KnativePlatform connect(
      String context, KnativeOptions options, Consumer<FcEvent> events) {
    Config config = Config.autoConfigure(context);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    return new KnativePlatform(client, options, events, true);
  }

  /** Uses a client the caller owns (and closes); for tests and embedding. */
  public static KnativePlatform using(
      KubernetesClient client, KnativeOptions options, Consumer<FcEvent> events) {
    return new KnativePlatform(client, options, events, false);
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
  public static int percent(java.math.BigDecimal weight) {
    return Traffic.percent(weight);
  }

  @Override
  public String target() {
    return "knative " + kube.address() + " namespace " + options.namespace();
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
    return kube.list(Kinds.SERVICE, Map.of(Names.LABEL_MANAGED_BY, Names.FIELD_MANAGER)).stream()
        .map(s -> s.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Override
  public Optional<FunctionState> describe(String function) {
    Optional<GenericKubernetesResource> service = kube.get(Kinds.SERVICE, function);
    if (service.isEmpty()) {
      return Optional.empty();
    }
    ServiceState state = ServiceState.of(service.get());
    drift(service.get(), state)
        .forEach(d -> events.accept(FcEvent.warn("Service " + function + " drifted: " + d)));
    List<Version> versions =
        state.versions().stream().map(v -> v.toVersion(state.created())).toList();
    List<Alias> aliases =
        state.aliases().stream()
            .map(a -> new Alias(function, a.name(), a.target(), a.revision(), a.previous()))
            .toList();
    return Optional.of(new FunctionState(function, versions, aliases, triggers(function)));
  }

  /**
   * Where the Service differs from what fc-toolkit recorded in its annotations, i.e. what someone
   * changed outside fc-toolkit (kubectl edit, another tool): its traffic or its template. Empty
   * when they agree. The next fc-toolkit write restores the recorded state.
   */
  public List<String> drift(String function) {
    return kube.get(Kinds.SERVICE, function)
        .map(s -> drift(s, ServiceState.of(s)))
        .orElse(List.of());
  }

  @SuppressWarnings("unchecked")
  private List<String> drift(GenericKubernetesResource service, ServiceState state) {
    List<String> out = new ArrayList<>();
    if (state.versions().isEmpty()) {
      return out;
    }
    Map<String, Object> expected =
        ServiceManifest.build(
            options.namespace(),
            state.function(),
            state.versions(),
            state.aliases(),
            options.primaryAlias(),
            new ArrayList<>());
    Map<String, Object> wanted = (Map<String, Object>) expected.get("spec");
    Object actualSpec = service.getAdditionalProperties().get("spec");
    Map<String, Object> actual =
        actualSpec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    if (!sameJson(wanted.get("traffic"), actual.get("traffic"))) {
      out.add(
          "traffic is "
              + Json.write(actual.get("traffic"))
              + " but the aliases say "
              + Json.write(wanted.get("traffic")));
    }
    String wantedTemplate = templateName(wanted);
    String actualTemplate = templateName(actual);
    if (!wantedTemplate.equals(actualTemplate)) {
      out.add(
          "template is revision "
              + actualTemplate
              + " but the newest version is "
              + wantedTemplate);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String templateName(Map<String, Object> spec) {
    if (spec.get("template") instanceof Map<?, ?> template
        && template.get("metadata") instanceof Map<?, ?> metadata) {
      return String.valueOf(metadata.get("name"));
    }
    return "(none)";
  }

  /** Equal as JSON, so that 40 and 40L, or a defaulted false and a missing field, compare alike. */
  private static boolean sameJson(Object a, Object b) {
    return Json.read(Json.write(a), Object.class).equals(Json.read(Json.write(b), Object.class));
  }

  private List<TriggerSpec> triggers(String function) {
    List<TriggerSpec> out = new ArrayList<>();
    for (GenericKubernetesResource source :
        kube.list(Kinds.KAFKA_SOURCE, Map.of(Names.LABEL_FUNCTION, function))) {
      String json = annotation(source, Names.ANN_TRIGGER);
      if (json != null) {
        out.add(TriggerCodec.read(json, "KafkaSource " + source.getMetadata().getName()));
      }
    }
    out.sort(Comparator.comparing(TriggerSpec::name));
    return out;
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    if (request.image() instanceof ImageSource.Archive archive) {
      throw new InvalidRequestException(
          "image",
          "Knative needs a registry image, but "
              + archive.tarball()
              + " is a local image archive that the cluster cannot pull",
          "push the image to a registry the cluster can reach (<image> in the fc plugin's"
              + " configuration or -Dfc.image=registry.example.com/team/<function>) and publish it"
              + " by digest");
    }
    ImageSource.Registry registry = (ImageSource.Registry) request.image();
    String function = request.config().name();
    String contentId = Version.contentId(registry.digest(), request.config());
    PublishResult[] result = new PublishResult[1];
    writeService(
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
      ObjectStatus status = kube.revision(revision).map(KnativePlatform::status).orElse(null);
      if (status != null && status.isReady()) {
        events.accept(FcEvent.info("Revision " + revision + " is Ready"));
        return;
      }
      if (status != null && "FALSE".equals(status.ready())) {
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
    writeService(
        function,
        state -> {
          List<VersionEntry> versions = new ArrayList<>(state.versions());
          versions.removeIf(v -> v.number() == number);
          if (versions.isEmpty()) {
            return null;
          }
          return new Change(versions, state.aliases());
        });
    kube.delete(Kinds.REVISION, revision);
    events.accept(FcEvent.warn("Revision " + revision + " failed; version " + number + " removed"));
    throw new RevisionNotReadyException(revision, reason);
  }

  @Override
  public Alias putAlias(AliasUpdate update) {
    String function = update.function();
    requireNotFailed(function, update.target().version());
    if (update.target().hasCanary()) {
      requireNotFailed(function, update.target().canaryVersion());
    }
    Alias[] result = new Alias[1];
    writeService(
        function,
        state -> {
          requireExists(state);
          requireVersion(state, update.target().version());
          if (update.target().hasCanary()) {
            requireVersion(state, update.target().canaryVersion());
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
    for (TriggerSpec t : triggers(function)) {
      if (t.alias().equals(alias)) {
        throw new ConflictException(
            "alias " + function + "/" + alias + " is the target of trigger " + t.name(),
            "delete the trigger or point it at another alias first");
      }
    }
    writeService(
        function,
        state -> {
          requireExists(state);
          AliasEntry current =
              state.aliases().stream()
                  .filter(a -> a.name().equals(alias))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "alias", function + "/" + alias, "fc:status lists the aliases"));
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
    writeService(
        function,
        state -> {
          requireExists(state);
          requireVersion(state, version);
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
    kube.delete(Kinds.REVISION, Names.revision(function, version));
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
    String function = trigger.function();
    ServiceState state = read(function);
    requireExists(state);
    if (state.aliases().stream().noneMatch(a -> a.name().equals(trigger.alias()))) {
      throw new NotFoundException(
          "alias",
          function + "/" + trigger.alias(),
          "create the alias before the trigger that invokes it");
    }
    String primary = Traffic.primary(state.aliases(), options.primaryAlias());
    List<KnativeFinding> findings = new ArrayList<>();
    List<Map<String, Object>> objects =
        TriggerManifests.build(
            options.namespace(), trigger, primary, options.kafkaBootstrapServers(), findings);
    UnsupportedOnKnativeException.throwIfErrors(findings);
    findings.forEach(f -> events.accept(FcEvent.warn(f.field() + ": " + f.message())));

    String sourceName = Names.source(function, trigger.name());
    Optional<TriggerSpec> old =
        kube.get(Kinds.KAFKA_SOURCE, sourceName)
            .map(s -> annotation(s, Names.ANN_TRIGGER))
            .map(json -> TriggerCodec.read(json, "KafkaSource " + sourceName));
    if (old.isPresent() && !old.get().consumerGroup().equals(trigger.consumerGroup())) {
      events.accept(
          FcEvent.warn(
              "trigger "
                  + trigger.name()
                  + ": consumer group changes from "
                  + old.get().consumerGroup()
                  + " to "
                  + trigger.consumerGroup()
                  + "; the new group starts at "
                  + trigger.startOffset().name().toLowerCase(Locale.ROOT)
                  + " and the old group's offsets stay in the broker"));
    }
    for (Map<String, Object> object : objects) {
      kube.apply(object, null);
    }
    // Remove what the new spec no longer has, after the source points away from it.
    Set<String> applied = new HashSet<>();
    objects.forEach(o -> applied.add(o.get("kind") + "/" + name(o)));
    if (!applied.contains("Sequence/" + Names.sequence(function, trigger.name()))) {
      kube.delete(Kinds.SEQUENCE, Names.sequence(function, trigger.name()));
    }
    for (String sink :
        List.of(
            Names.resultSink(function, trigger.name()),
            Names.deadLetterSink(function, trigger.name()))) {
      if (!applied.contains("KafkaSink/" + sink)) {
        kube.delete(Kinds.KAFKA_SINK, sink);
      }
    }
    events.accept(
        FcEvent.lifecycle(
            (old.isPresent() ? "Updated" : "Created")
                + " trigger "
                + function
                + "/"
                + trigger.name()
                + ": topic "
                + trigger.topic()
                + " -> alias "
                + trigger.alias()
                + " (KafkaSource "
                + sourceName
                + ", group "
                + trigger.consumerGroup()
                + ")"));
    return trigger;
  }

  @Override
  public void deleteTrigger(String function, String trigger) {
    String sourceName = Names.source(function, trigger);
    if (!kube.delete(Kinds.KAFKA_SOURCE, sourceName)) {
      throw new NotFoundException(
          "trigger", function + "/" + trigger, "fc:status lists the triggers");
    }
    kube.delete(Kinds.SEQUENCE, Names.sequence(function, trigger));
    kube.delete(Kinds.KAFKA_SINK, Names.resultSink(function, trigger));
    kube.delete(Kinds.KAFKA_SINK, Names.deadLetterSink(function, trigger));
    events.accept(FcEvent.lifecycle("Deleted trigger " + function + "/" + trigger));
  }

  @Override
  public InvokeResponse invoke(InvokeRequest request) {
    if (request.qualifier().matches("[0-9]+")) {
      throw new InvalidRequestException(
          "qualifier",
          "Knative gives a version no address of its own; invoke through an alias",
          "point an alias at version " + request.qualifier() + " and invoke the alias");
    }
    GenericKubernetesResource service =
        kube.get(Kinds.SERVICE, request.function())
            .orElseThrow(
                () -> new NotFoundException("function", request.function(), "publish it first"));
    String url = aliasUrl(service, request.qualifier());
    HttpRequest.Builder http =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach(http::header);
    if (request.routingKey() != null) {
      http.header(InvokeRequest.ROUTING_KEY_HEADER, request.routingKey());
    }
    long start = System.nanoTime();
    try {
      HttpResponse<byte[]> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new TreeMap<>();
      response
          .headers()
          .map()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      int version = 0;
      String served = headers.get(InvokeResponse.VERSION_HEADER);
      if (served != null && served.matches("[0-9]+")) {
        version = Integer.parseInt(served);
      }
      return new InvokeResponse(
          response.statusCode(),
          headers,
          response.body(),
          version,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          url,
          "cannot invoke " + request.function() + "/" + request.qualifier(),
          "the alias URL must be reachable from here (ingress, or kubectl port-forward)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformUnavailableException(url, "interrupted while invoking", null, e);
    }
  }

  /**
   * The address of an alias's traffic tag: the URL the Service reports for the tag once Knative's
   * controller has routed it, else the cluster-local address Knative's default tag template gives
   * ({@code http://<alias>-<function>.<namespace>.svc.cluster.local}).
   *
   * @throws NotFoundException when the function or the alias does not exist
   */
  public String tagUrl(String function, String alias) {
    GenericKubernetesResource service =
        kube.get(Kinds.SERVICE, function)
            .orElseThrow(() -> new NotFoundException("function", function, "publish it first"));
    ServiceState state = ServiceState.of(service);
    if (state.aliases().stream().noneMatch(a -> a.name().equals(alias))) {
      throw new NotFoundException("alias", function + "/" + alias, "fc:status lists the aliases");
    }
    ServiceStatus status = kube.service(function).map(s -> s.getStatus()).orElse(null);
    if (status != null && status.getTraffic() != null) {
      for (TrafficTarget t : status.getTraffic()) {
        if (alias.equals(t.getTag()) && t.getUrl() != null) {
          return t.getUrl();
        }
      }
    }
    return Names.tagAddress(alias, function, options.namespace());
  }

  /** The URL Knative reports for an alias's tag (or the default route for the primary alias). */
  private String aliasUrl(GenericKubernetesResource service, String alias) {
    ServiceState state = ServiceState.of(service);
    if (state.aliases().stream().noneMatch(a -> a.name().equals(alias))) {
      throw new NotFoundException(
          "alias", state.function() + "/" + alias, "fc:status lists the aliases");
    }
    String primary = Traffic.primary(state.aliases(), options.primaryAlias());
    ServiceStatus status = kube.service(state.function()).map(s -> s.getStatus()).orElse(null);
    if (status != null) {
      if (alias.equals(primary) && status.getUrl() != null) {
        return status.getUrl(); // the default route carries the primary alias's split
      }
      if (status.getTraffic() != null) {
        for (TrafficTarget t : status.getTraffic()) {
          if (alias.equals(t.getTag()) && t.getUrl() != null) {
            return t.getUrl();
          }
        }
      }
    }
    throw new FcException(
        "alias "
            + state.function()
            + "/"
            + alias
            + " has no URL yet: the Service has not reported its routes",
        "wait until the Service is Ready (fc:status) and check the Knative Serving controller");
  }

  @Override
  public FunctionMetrics metrics(String function) {
    ServiceState state = read(function);
    requireExists(state);
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
    List<TriggerStatus> triggers = new ArrayList<>();
    for (GenericKubernetesResource source :
        kube.list(Kinds.KAFKA_SOURCE, Map.of(Names.LABEL_FUNCTION, function))) {
      ObjectStatus s = status(source);
      String trigger =
          labels(source).getOrDefault(Names.LABEL_TRIGGER, source.getMetadata().getName());
      String state2 =
          switch (s.ready()) {
            case "TRUE" -> "RUNNING";
            case "FALSE" -> "FAILED";
            default -> "PENDING";
          };
      String error = "FALSE".equals(s.ready()) ? s.reason() + ": " + s.message() : null;
      triggers.add(new TriggerStatus(trigger, state2, error, List.of()));
    }
    triggers.sort(Comparator.comparing(TriggerStatus::trigger));
    return new FunctionMetrics(function, versions, triggers);
  }

  /**
   * The Ready condition of every object of a function: the Service, the revisions of its versions
   * and the objects of its triggers, for {@code fc:status} and plans.
   */
  public List<ObjectStatus> status(String function) {
    List<ObjectStatus> out = new ArrayList<>();
    GenericKubernetesResource service =
        kube.get(Kinds.SERVICE, function)
            .orElseThrow(() -> new NotFoundException("function", function, "publish it first"));
    out.add(status(service));
    for (VersionEntry v : ServiceState.of(service).versions()) {
      String name = Names.revision(function, v.number());
      out.add(
          kube.revision(name)
              .map(KnativePlatform::status)
              .orElse(
                  new ObjectStatus("Revision", name, "UNKNOWN", "NotFound", "no such revision")));
    }
    Map<String, String> byFunction = Map.of(Names.LABEL_FUNCTION, function);
    for (var kind : List.of(Kinds.KAFKA_SINK, Kinds.SEQUENCE, Kinds.KAFKA_SOURCE)) {
      kube.list(kind, byFunction).stream()
          .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
          .forEach(r -> out.add(status(r)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private ObjectStatus status(GenericKubernetesResource resource) {
    String kind = resource.getKind() == null ? "Object" : resource.getKind();
    String name = resource.getMetadata().getName();
    Object status = resource.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> map && map.get("conditions") instanceof List<?> conditions) {
      for (Object o : conditions) {
        Map<String, Object> c = (Map<String, Object>) o;
        if ("Ready".equals(c.get("type"))) {
          return new ObjectStatus(
              kind,
              name,
              String.valueOf(c.get("status")).toUpperCase(Locale.ROOT),
              (String) c.get("reason"),
              (String) c.get("message"));
        }
      }
    }
    return new ObjectStatus(kind, name, "UNKNOWN", null, "no Ready condition reported yet");
  }

  private static ObjectStatus status(Revision revision) {
    String name = revision.getMetadata().getName();
    if (revision.getStatus() != null && revision.getStatus().getConditions() != null) {
      for (Condition c : revision.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          return new ObjectStatus(
              "Revision",
              name,
              String.valueOf(c.getStatus()).toUpperCase(Locale.ROOT),
              c.getReason(),
              c.getMessage());
        }
      }
    }
    return new ObjectStatus("Revision", name, "UNKNOWN", null, "no Ready condition reported yet");
  }

  @Override
  public void close() {
    if (ownsClient) {
      kube.client().close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** New ledgers for the Service; the manifest is rebuilt from them. */
  private record Change(List<VersionEntry> versions, List<AliasEntry> aliases) {}

  private ServiceState read(String function) {
    return kube.get(Kinds.SERVICE, function)
        .map(ServiceState::of)
        .orElse(ServiceState.absent(function));
  }

  /**
   * Read-modify-write of a function's Service, guarded by the resourceVersion read. When another
   * writer got in between, the change is recomputed from fresh state (so per-alias revision checks
   * run again); after {@value #WRITE_ATTEMPTS} attempts the conflict is reported with both
   * resourceVersions.
   */
  private void writeService(String function, Function<ServiceState, Change> mutation) {
    ConflictException last = null;
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      ServiceState state = read(function);
      Change change = mutation.apply(state);
      if (change == null) {
        return;
      }
      List<KnativeFinding> findings = new ArrayList<>();
      Map<String, Object> manifest =
          ServiceManifest.build(
              options.namespace(),
              function,
              change.versions(),
              change.aliases(),
              options.primaryAlias(),
              findings);
      UnsupportedOnKnativeException.throwIfErrors(findings);
      try {
        kube.apply(manifest, state.resourceVersion());
        // Say only what this change adds: a canary rounded long ago is not news on every write.
        List<KnativeFinding> before = findings(state);
        findings.stream()
            .filter(f -> !before.contains(f))
            .forEach(f -> events.accept(FcEvent.warn(f.field() + ": " + f.message())));
        return;
      } catch (ConflictException e) {
        last = e;
        if (attempt < WRITE_ATTEMPTS) {
          events.accept(
              FcEvent.info(
                  "Service "
                      + function
                      + " changed since resourceVersion "
                      + state.resourceVersion()
                      + "; retrying ("
                      + (attempt + 1)
                      + "/"
                      + WRITE_ATTEMPTS
                      + ")"));
        }
      }
    }
    throw new ConflictException(
        "Service "
            + function
            + " kept changing while fc-toolkit wrote it ("
            + WRITE_ATTEMPTS
            + " attempts): "
            + last.getMessage(),
        "another writer (a pipeline, Argo CD or Flux) is changing it; stop it or retry later",
        last.expectedRevision(),
        last.actualRevision());
  }

  private List<KnativeFinding> findings(ServiceState state) {
    List<KnativeFinding> findings = new ArrayList<>();
    if (!state.versions().isEmpty()) {
      ServiceManifest.build(
          options.namespace(),
          state.function(),
          state.versions(),
          state.aliases(),
          options.primaryAlias(),
          findings);
    }
    return findings;
  }

  private static void requireExists(ServiceState state) {
    if (!state.exists()) {
      throw new NotFoundException(
          "function", state.function(), "publish a version first (fc:deploy)");
    }
  }

  private static void requireVersion(ServiceState state, int version) {
    if (state.versions().stream().noneMatch(v -> v.number() == version)) {
      throw new NotFoundException(
          "version",
          state.function() + " v" + version,
          "fc:status lists the versions; publish the release first");
    }
  }

  /**
   * Refuses to move traffic to a revision that reports {@code Ready=False}: Knative's route would
   * keep the old split, or answer 503 for a new alias. A revision not (yet) reported is fine:
   * Knative's route shifts traffic only once the revision is Ready, and its activator holds
   * requests while a revision scales from zero, so an alias move fails no request.
   */
  private void requireNotFailed(String function, int version) {
    String revision = Names.revision(function, version);
    kube.revision(revision)
        .map(KnativePlatform::status)
        .filter(s -> "FALSE".equals(s.ready()))
        .ifPresent(
            s -> {
              throw new ConflictException(
                  "revision "
                      + revision
                      + " is not Ready ("
                      + s.reason()
                      + ": "
                      + s.message()
                      + "), so no alias may point at it",
                  "kubectl describe revision "
                      + revision
                      + " shows why; publish a fixed version instead");
            });
  }

  private static Alias toAlias(String function, AliasEntry a) {
    return new Alias(function, a.name(), a.target(), a.revision(), a.previous());
  }

  private static String annotation(GenericKubernetesResource r, String key) {
    Map<String, String> a = r.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static Map<String, String> labels(GenericKubernetesResource r) {
    Map<String, String> l = r.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  @SuppressWarnings("unchecked")
  private static String name(Map<String, Object> object) {
    return (String) ((Map<String, Object>) object.get("metadata")).get("name");
  }
}
