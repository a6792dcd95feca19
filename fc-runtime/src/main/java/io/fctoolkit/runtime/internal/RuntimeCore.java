package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.Version;
import io.fctoolkit.runtime.DeadLetterNote;
import io.fctoolkit.runtime.EventJournal;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.TriggerHost;
import io.fctoolkit.runtime.internal.StateStore.FunctionEntry;
import io.fctoolkit.runtime.rollout.RolloutController;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's engine, independent of HTTP: durable state, image store, version pools, the alias
 * router (this is the in-process {@link InProcessInvoker}), trigger wiring and metrics.
 */
public final class RuntimeCore implements InProcessInvoker, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RuntimeCore.class);

  /** How often rollouts are checked: a failed check moves the alias back within this. */
  private static final Duration ROLLOUT_TICK = Duration.ofMillis(200);

  private final Path stateDir;
  private final RuntimeOptions options;
  private final StateStore state;
  private final ImageStore images;
  private final InstanceJava jdk;
  private final ExecutorService launcher;
  private final ScheduledExecutorService timer;
  private final InstanceClient instanceClient;
  private final OrphanReaper reaper;
  private final ArchiveTrainer archives;
  private final LaunchSpecs specs;
  private final VersionPools pools;
  private final AliasRouter router;
  private final RuntimeMetrics metrics;
  private final Publisher publisher;
  private final AliasMoves aliases;
  private final TriggerHost triggers;
  private final Consumer<FcEvent> events;
  private final RolloutController rollouts;
  private final EventJournal journal = new EventJournal();
  private final MetricsHistory history;
  private final HistoryFile historyFile;
  // Its own thread: a trigger host's status may wait while its broker starts, which must not hold
  // up the timer's queue timeouts and reaping.
  private final ScheduledExecutorService historyTimer;

  /**
   * The dashboard's sampling interval: {@code fc.runtime.historyIntervalMs} (100 to 10,000), else 5
   * s, which with {@link MetricsHistory#DEFAULT_CAPACITY} columns keeps one hour.
   */
  static long historyIntervalMs() {
    long ms = Long.getLong("fc.runtime.historyIntervalMs", 5000);
    return Math.max(100, Math.min(10_000, ms));
  }

  public RuntimeCore(RuntimeOptions options, Consumer<FcEvent> events) throws IOException {
    this.options = options;
    this.events = events;
    this.stateDir = Files.createDirectories(options.stateDir());
    this.state = StateStore.open(stateDir);
    this.images = new ImageStore(stateDir.resolve("images"));
    this.jdk = InstanceJava.choose(options.instanceJavaHome());
    if (options.instanceUser() != null) {
      InstanceUser.separate(options.instanceUser(), stateDir);
    }
    Path pidDir = Files.createDirectories(stateDir.resolve("run/instances"));
    this.reaper = new OrphanReaper(pidDir);
    reaper.reapOrphans();
    PoolSettings poolSettings =
        new PoolSettings(
            options.queueCapacity(),
            options.queueTimeout(),
            options.startTimeout(),
            options.retireIdle(),
            pidDir);
    this.launcher = Executors.newCachedThreadPool(daemon("fc-launcher"));
    this.timer = Executors.newScheduledThreadPool(1, daemon("fc-timer"));
    this.instanceClient = new InstanceClient();
    Path logsDir = stateDir.resolve("logs");
    this.archives =
        new ArchiveTrainer(
            images,
            jdk,
            stateDir.resolve("archives"),
            f -> logsDir.resolve(f).resolve("publish.log"),
            launcher,
            options.startTimeout(),
            pidDir);
    this.specs = new LaunchSpecs(images, jdk, archives, options.instanceUser());
    StatsRegistry stats = new StatsRegistry();
    this.pools =
        new VersionPools(
            specs::forVersion, stats, instanceClient, launcher, timer, poolSettings, logsDir);
    this.router = new AliasRouter(state::function, pools, stats);
    this.publisher =
        new Publisher(
            state, images, specs, archives, pools, options.startTimeout(), pidDir, events);
    this.aliases = new AliasMoves(state, pools, journal, events, options.startTimeout());
    LOG.info("instances run on {}", jdk);
    TriggerHost.Factory factory = options.triggers();
    this.triggers = factory == null ? TriggerHost.none() : factory.create(this, stateDir, events);
    this.metrics = new RuntimeMetrics(state, pools, stats, triggers);
    long interval = historyIntervalMs();
    this.history =
        new MetricsHistory(
            MetricsHistory.DEFAULT_CAPACITY, MetricsHistory.DEFAULT_MAX_SERIES, interval);
    this.historyFile = new HistoryFile(stateDir);
    historyFile.load(history);
    HistorySampler sampler =
        new HistorySampler(state, pools, stats, triggers, history, System::currentTimeMillis);
    for (FunctionEntry entry : state.all()) {
      refreshRouting(entry.name());
      for (TriggerSpec trigger : entry.triggers()) {
        try {
          triggers.put(trigger);
        } catch (RuntimeException e) {
          LOG.warn(
              "trigger={} function={} could not start: {}",
              trigger.name(),
              entry.name(),
              e.getMessage());
        }
      }
    }
    timer.scheduleWithFixedDelay(pools::reapAll, 250, 250, TimeUnit.MILLISECONDS);
    this.historyTimer = Executors.newSingleThreadScheduledExecutor(daemon("fc-history"));
    historyTimer.scheduleAtFixedRate(sampler::sampleSafely, 0, interval, TimeUnit.MILLISECONDS);
    historyTimer.scheduleWithFixedDelay(() -> historyFile.save(history), 1, 1, TimeUnit.MINUTES);
    // After routing and triggers are up: it reconciles stored rollouts with their aliases.
    this.rollouts =
        new RolloutController(
            new LocalRolloutTarget(
                state, stats, triggers, this::putAlias, this::moveAliasBack, this),
            new RolloutFile(stateDir),
            Clock.systemUTC(),
            events);
    rollouts.startTicking(ROLLOUT_TICK);
  }

  /** The journal of changes the dashboard marks; other parts of the runtime record into it. */
  public EventJournal journal() {
    return journal;
  }

  /** The dashboard's sampled history. */
  public MetricsHistory history() {
    return history;
  }

  /** Notes of a trigger's latest failed records (see {@link TriggerHost#deadLetters}). */
  public List<DeadLetterNote> deadLetters(String function, String trigger) {
    return triggers.deadLetters(function, trigger);
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  public InstanceJava instanceJava() {
    return jdk;
  }

  public Path stateDir() {
    return stateDir;
  }

  public ImageStore images() {
    return images;
  }

  // ---- functions

  public List<String> functions() {
    return state.functionNames();
  }

  public Optional<FunctionState> describe(String function) {
    return state.describe(function);
  }

  /** Stores the configuration that a publish without one uses. */
  public FunctionConfig putFunctionConfig(FunctionConfig config) {
    state.update(config.name(), e -> StateStore.withConfig(e, config));
    return config;
  }

  public Optional<FunctionConfig> functionConfig(String function) {
    return state.function(function).map(FunctionEntry::config);
  }

  /** Deletes a function with no aliases and no triggers, and all its versions. */
  public void deleteFunction(String function) {
    FunctionEntry entry;
    synchronized (aliases.lockOf(function)) {
      entry = requireFunction(function);
      if (!entry.aliases().isEmpty() || !entry.triggers().isEmpty()) {
        throw new ConflictException(
            "function '" + function + "' still has aliases or triggers",
            "delete its triggers and aliases first");
      }
      state.update(function, e -> null);
    }
    for (Version v : entry.versions()) {
      pools.close(function, v.number(), false);
    }
  }

  // ---- publish

  /** Publishes a version; see {@link Publisher#publish}. */
  public PublishResult publish(FunctionConfig config, String digest, String releaseId) {
    PublishResult result = publisher.publish(config, digest, releaseId);
    if (result.created()) {
      Version v = result.version();
      journal.record(
          EventJournal.PUBLISH,
          v.function(),
          "v"
              + v.number()
              + " published"
              + (releaseId == null ? "" : " (release " + releaseId + ")")
              + ", image "
              + digest);
    }
    return result;
  }

  public void deleteVersion(String function, int number) {
    synchronized (aliases.lockOf(function)) {
      FunctionEntry entry = requireFunction(function);
      requireVersion(entry, number);
      for (Alias alias : entry.aliases()) {
        AliasTarget t = alias.target();
        if (t.version() == number || Integer.valueOf(number).equals(t.canaryVersion())) {
          throw new ConflictException(
              "version "
                  + number
                  + " of function '"
                  + function
                  + "' is in use by alias '"
                  + alias.name()
                  + "' ("
                  + t
                  + ")",
              "move or delete alias '" + alias.name() + "' first");
        }
      }
      state.update(function, e -> StateStore.withoutVersion(e, number));
      journal.record(EventJournal.VERSION_DELETE, function, "v" + number + " deleted");
    }
    pools.close(function, number, false);
    specs.forget(function, number);
  }

  // ---- aliases

  /** Imports an image archive (see {@link ImageStore#importArchive}), saying how long it took. */
  public ImageRecord importArchive(InputStream in, String digest, String repository) {
    long start = System.nanoTime();
    ImageRecord record = images.importArchive(in, digest, repository);
    events.accept(
        FcEvent.info(
            "imported image "
                + record.digest()
                + " in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms"));
    return record;
  }

  /**
   * Creates or moves an alias: checks the revision, warms the new versions to the number of
   * instances the old ones use (scale before shift), then switches; old instances drain.
   */
  public Alias putAlias(AliasUpdate update) throws InterruptedException {
    return putAlias(update, true);
  }

  /**
   * Moves an alias back to a version that serves it already (a rollout's rollback): no warm-up
   * first, so the canary stops taking traffic at once; the primary's pool scales on demand and
   * queues the extra requests meanwhile instead of refusing them.
   */
  public Alias moveAliasBack(AliasUpdate update) throws InterruptedException {
    return putAlias(update, false);
  }

  private Alias putAlias(AliasUpdate update, boolean warm) throws InterruptedException {
    return aliases.put(update, warm);
  }

  public void deleteAlias(String function, String alias, Long expectedRevision) {
    aliases.delete(function, alias, expectedRevision);
  }

  private void refreshRouting(String function) {
    aliases.refreshRouting(function);
  }

  // ---- rollouts

  /** Starts a progressive rollout of an alias; see {@link RolloutController#start}. */
  public RolloutStatus startRollout(RolloutRequest request) throws InterruptedException {
    return rollouts.start(request);
  }

  /** The latest rollout of an alias, running or finished. */
  public Optional<RolloutStatus> rollout(String function, String alias) {
    return rollouts.status(function, alias);
  }

  /** Every alias's latest rollout. */
  public List<RolloutStatus> rollouts() {
    return rollouts.all();
  }

  /** Stops a progressing rollout; the alias returns to its primary. */
  public RolloutStatus abortRollout(String function, String alias, String reason)
      throws InterruptedException {
    return rollouts.abort(function, alias, reason);
  }

  /** Holds a running rollout at its weight; see {@link RolloutController#pause}. */
  public RolloutStatus pauseRollout(String function, String alias, String reason) {
    return rollouts.pause(function, alias, reason);
  }

  /** Lets a paused rollout go on; see {@link RolloutController#resume}. */
  public RolloutStatus resumeRollout(String function, String alias, String reason) {
    return rollouts.resume(function, alias, reason);
  }

  /** Makes the move a rollout awaits approval for; see {@link RolloutController#approve}. */
  public RolloutStatus approveRollout(String function, String alias, String reason)
      throws InterruptedException {
    return rollouts.approve(function, alias, reason);
  }

  /** Gives a running rollout's canary all traffic now. */
  public RolloutStatus promoteRollout(String function, String alias, String reason)
      throws InterruptedException {
    return rollouts.promote(function, alias, reason);
  }

  // ---- triggers

  public TriggerSpec putTrigger(String function, TriggerSpec trigger) {
    if (!trigger.function().equals(function)) {
      throw new InvalidRequestException(
          "trigger.function",
          "is '" + trigger.function() + "' but the URL names function '" + function + "'",
          "make them agree");
    }
    synchronized (aliases.lockOf(function)) {
      FunctionEntry entry = requireFunction(function);
      if (entry.toState().alias(trigger.alias()).isEmpty()) {
        throw aliasNotFound(function, trigger.alias());
      }
      Optional<TriggerSpec> before = entry.toState().trigger(trigger.name());
      triggers.put(trigger);
      if (before.isPresent() && before.get().equals(trigger)) {
        return trigger; // already recorded: no state write
      }
      try {
        state.update(function, e -> StateStore.withTrigger(e, trigger));
      } catch (RuntimeException e) {
        before.ifPresentOrElse(triggers::put, () -> triggers.delete(function, trigger.name()));
        throw e;
      }
      journal.record(
          EventJournal.TRIGGER,
          function,
          trigger.name()
              + (before.isPresent() ? " changed" : " created")
              + ": topic "
              + trigger.topic()
              + " -> alias "
              + trigger.alias());
      return trigger;
    }
  }

  public void deleteTrigger(String function, String trigger) {
    synchronized (aliases.lockOf(function)) {
      FunctionEntry entry = requireFunction(function);
      if (entry.toState().trigger(trigger).isEmpty()) {
        throw new NotFoundException(
            "trigger",
            function + "/" + trigger,
            "list triggers with GET /v1/functions/" + function);
      }
      state.update(function, e -> StateStore.withoutTrigger(e, trigger));
      triggers.delete(function, trigger);
      journal.record(EventJournal.TRIGGER_DELETE, function, trigger + " deleted");
    }
  }

  /** The Kafka cluster triggers without their own read from, once known. */
  public Optional<String> kafkaBootstrapServers() {
    return triggers.bootstrapServers();
  }

  public List<String> problems() {
    return triggers.problems();
  }

  public TriggerStatus triggerStatus(String function, String trigger) {
    return metrics.triggerStatus(function, trigger);
  }

  // ---- invoke

  @Override
  public CompletableFuture<InvokeResponse> invoke(InvokeRequest request) {
    Map<String, List<String>> headers = new HashMap<>();
    request.headers().forEach((k, v) -> headers.put(k, List.of(v)));
    if (request.routingKey() != null) {
      headers.put(InvokeRequest.ROUTING_KEY_HEADER, List.of(request.routingKey()));
    }
    try {
      return invoke(
          request.function(),
          request.qualifier(),
          request.routingKey(),
          request.method(),
          request.path(),
          headers,
          request.body());
    } catch (FcException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Routes one request that carries the control token (the in-process {@link InProcessInvoker},
   * triggers).
   *
   * @throws NotFoundException when the function, alias or version does not exist
   */
  public CompletableFuture<InvokeResponse> invoke(
      String function,
      String qualifier,
      String routingKey,
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body) {
    return invoke(function, qualifier, routingKey, method, path, headers, body, true);
  }

  /**
   * Routes one request: resolves the qualifier (alias with weight and affinity, or a version) and
   * hands it to that version's pool; see {@link AliasRouter#invoke}. Without a token it is answered
   * 401 unless the version it is routed to is public.
   *
   * @throws NotFoundException when the function, alias or version does not exist
   */
  public CompletableFuture<InvokeResponse> invoke(
      String function,
      String qualifier,
      String routingKey,
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      boolean tokenPresented) {
    return router.invoke(
        function, qualifier, routingKey, method, path, headers, body, tokenPresented);
  }

  /**
   * Whether every version {@code qualifier} may route to allows invocation without a token: an
   * early refusal only; {@link #invoke} decides on the version it routes to.
   */
  public boolean isPublic(String function, String qualifier) {
    return router.mayBePublic(function, qualifier);
  }

  public Path logFile(String function, int version) {
    return pools.logFile(function, version);
  }

  // ---- metrics

  public FunctionMetrics metrics(String function) {
    return metrics.function(function);
  }

  /** Per-alias figures for the JSON metrics. */
  public List<Map<String, Object>> aliasMetrics(String function) {
    return metrics.aliases(function);
  }

  /** Instances of a version, for the API. */
  public List<Map<String, Object>> instances(String function, int version) {
    StateStore.requireVersion(requireFunction(function), version);
    VersionPool pool = pools.find(function, version);
    return pool == null ? List.of() : pool.describeInstances();
  }

  /** All figures in the Prometheus text exposition format. */
  public String prometheus() {
    StringBuilder out = new StringBuilder(metrics.prometheus());
    rollouts.renderMetrics(out);
    return out.toString();
  }

  // ---- lookups

  private FunctionEntry requireFunction(String function) {
    return state.requireFunction(function);
  }

  private static Version requireVersion(FunctionEntry entry, int number) {
    return StateStore.requireVersion(entry, number);
  }

  private static NotFoundException aliasNotFound(String function, String alias) {
    return StateStore.aliasNotFound(function, alias);
  }

  /** Stops triggers, then every instance (drain, then kill what is left). */
  @Override
  public void close() {
    rollouts.close();
    try {
      triggers.close();
    } catch (RuntimeException e) {
      LOG.warn("trigger host did not close cleanly: {}", e.toString());
    }
    timer.shutdownNow();
    historyTimer.shutdownNow();
    historyFile.save(history);
    pools.closeAll();
    // Interrupting launches kills instances still starting (see Instance.launch).
    launcher.shutdownNow();
    reaper.awaitOrKill(5);
    instanceClient.close();
    pools.closeLogs();
  }
}
