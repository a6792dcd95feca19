package io.fctoolkit.core.gitops;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A small in-memory {@link Platform} that honours the SPI's semantics: publishing is idempotent by
 * content id, alias updates carry expected revisions and fail with {@link ConflictException},
 * versions and aliases in use cannot be deleted. It records every mutating call, and a test can
 * make the next call of an operation fail.
 */
final class InMemoryPlatform implements Platform {

  private final PlatformCapabilities capabilities;
  private final Map<String, Fn> functions = new TreeMap<>();
  private final List<String> calls = new ArrayList<>();
  private final Map<String, FcException> failures = new HashMap<>();

  InMemoryPlatform() {
    this(new PlatformCapabilities(true, true, true, true));
  }

  InMemoryPlatform(PlatformCapabilities capabilities) {
    this.capabilities = capabilities;
  }

  /** Every mutating call so far, e.g. {@code publish grader 2026-11-22.1}. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  /** Makes the next call of {@code operation} (publish, putAlias, putTrigger...) fail. */
  void failNext(String operation, FcException failure) {
    failures.put(operation, failure);
  }

  private void maybeFail(String operation) {
    FcException failure = failures.remove(operation);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String target() {
    return "in-memory";
  }

  @Override
  public PlatformCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public List<String> functions() {
    return List.copyOf(functions.keySet());
  }

  @Override
  public synchronized Optional<FunctionState> describe(String function) {
    Fn fn = functions.get(function);
    if (fn == null) {
      return Optional.empty();
    }
    return Optional.of(
        new FunctionState(
            function,
            List.copyOf(fn.versions.values()),
            List.copyOf(fn.aliases.values()),
            List.copyOf(fn.triggers.values())));
  }

  @Override
  public synchronized PublishResult publish(PublishRequest request) {
    maybeFail("publish");
    String name = request.config().name();
    String contentId = Version.contentId(request.image().digest(), request.config());
    Fn fn = functions.computeIfAbsent(name, n -> new Fn());
    for (Version v : fn.versions.values()) {
      if (v.contentId().equals(contentId)) {
        return new PublishResult(v, false);
      }
    }
    calls.add("publish " + name + " " + request.releaseId());
    int number = fn.versions.size() + 1;
    Version version =
        new Version(
            name,
            number,
            request.image().digest(),
            request.config(),
            contentId,
            request.releaseId(),
            Instant.parse("2026-11-22T00:00:00Z").plusSeconds(number));
    fn.versions.put(number, version);
    return new PublishResult(version, true);
  }

  @Override
  public synchronized Alias putAlias(AliasUpdate update) {
    maybeFail("putAlias");
    Fn fn = function(update.function());
    AliasTarget target = update.target();
    requireVersion(fn, update.function(), target.version());
    if (target.hasCanary()) {
      requireVersion(fn, update.function(), target.canaryVersion());
    }
    Alias current = fn.aliases.get(update.alias());
    long revision = current == null ? 0 : current.revision();
    if (update.expectedRevision() != null && update.expectedRevision() != revision) {
      throw ConflictException.staleRevision(
          "alias " + update.function() + "/" + update.alias(), update.expectedRevision(), revision);
    }
    calls.add("putAlias " + update.function() + "/" + update.alias() + " " + target);
    Alias alias =
        new Alias(
            update.function(),
            update.alias(),
            target,
            revision + 1,
            current == null ? null : current.target());
    fn.aliases.put(update.alias(), alias);
    return alias;
  }

  @Override
  public synchronized void deleteAlias(String function, String alias, Long expectedRevision) {
    maybeFail("deleteAlias");
    Fn fn = function(function);
    Alias current = fn.aliases.get(alias);
    if (current == null) {
      throw new NotFoundException("alias", alias, null);
    }
    if (expectedRevision != null && expectedRevision != current.revision()) {
      throw ConflictException.staleRevision(
          "alias " + function + "/" + alias, expectedRevision, current.revision());
    }
    for (TriggerSpec t : fn.triggers.values()) {
      if (t.alias().equals(alias)) {
        throw new ConflictException(
            "trigger " + t.name() + " invokes alias " + alias, "delete the trigger first");
      }
    }
    calls.add("deleteAlias " + function + "/" + alias);
    fn.aliases.remove(alias);
  }

  @Override
  public synchronized void deleteVersion(String function, int version) {
    Fn fn = function(function);
    for (Alias a : fn.aliases.values()) {
      if (a.target().version() == version
          || (a.target().hasCanary() && a.target().canaryVersion() == version)) {
        throw new ConflictException("alias " + a.name() + " points at v" + version, null);
      }
    }
    calls.add("deleteVersion " + function + " v" + version);
    fn.versions.remove(version);
  }

  @Override
  public synchronized TriggerSpec putTrigger(TriggerSpec trigger) {
    maybeFail("putTrigger");
    Fn fn = function(trigger.function());
    if (!fn.aliases.containsKey(trigger.alias())) {
      throw new NotFoundException("alias", trigger.alias(), "create the alias first");
    }
    calls.add("putTrigger " + trigger.function() + "/" + trigger.name() + " -> " + trigger.alias());
    fn.triggers.put(trigger.name(), trigger);
    return trigger;
  }

  @Override
  public synchronized void deleteTrigger(String function, String trigger) {
    maybeFail("deleteTrigger");
    Fn fn = function(function);
    if (fn.triggers.remove(trigger) == null) {
      throw new NotFoundException("trigger", trigger, null);
    }
    calls.add("deleteTrigger " + function + "/" + trigger);
  }

  @Override
  public InvokeResponse invoke(InvokeRequest request) {
    throw new UnsupportedOperationException("the gitops tests do not invoke");
  }

  @Override
  public FunctionMetrics metrics(String function) {
    return new FunctionMetrics(function, List.of(), List.of());
  }

  @Override
  public void close() {}

  private Fn function(String name) {
    Fn fn = functions.get(name);
    if (fn == null) {
      throw new NotFoundException("function", name, null);
    }
    return fn;
  }

  private static void requireVersion(Fn fn, String function, int version) {
    if (!fn.versions.containsKey(version)) {
      throw new NotFoundException("version", function + " v" + version, null);
    }
  }

  private static final class Fn {
    final Map<Integer, Version> versions = new TreeMap<>();
    final Map<String, Alias> aliases = new LinkedHashMap<>();
    final Map<String, TriggerSpec> triggers = new LinkedHashMap<>();
  }
}
