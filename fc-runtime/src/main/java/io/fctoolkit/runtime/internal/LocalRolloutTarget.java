package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.SmokeRequest;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.TriggerHost;
import io.fctoolkit.runtime.rollout.RolloutTarget;
import io.fctoolkit.runtime.rollout.VersionCounters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runtime as a rollout sees it: aliases from the state, moves through {@link
 * RuntimeCore#putAlias} (revision check, scale before shift) and back through {@link
 * RuntimeCore#moveAliasBack}, counters from the serving stats and the trigger host.
 */
final class LocalRolloutTarget implements RolloutTarget {

  private static final Duration SMOKE_TIMEOUT = Duration.ofMinutes(2);

  /** Moves an alias as the control API does. */
  @FunctionalInterface
  interface AliasMover {
    Alias move(AliasUpdate update) throws InterruptedException;
  }

  private final StateStore state;
  private final StatsRegistry stats;
  private final TriggerHost triggers;
  private final AliasMover mover;
  private final AliasMover back;
  private final InProcessInvoker invoker;

  LocalRolloutTarget(
      StateStore state,
      StatsRegistry stats,
      TriggerHost triggers,
      AliasMover mover,
      AliasMover back,
      InProcessInvoker invoker) {
    this.state = state;
    this.stats = stats;
    this.triggers = triggers;
    this.mover = mover;
    this.back = back;
    this.invoker = invoker;
  }

  @Override
  public Optional<Alias> alias(String function, String alias) {
    return state.function(function).flatMap(e -> e.toState().alias(alias));
  }

  @Override
  public Alias move(AliasUpdate update) throws InterruptedException {
    return mover.move(update);
  }

  @Override
  public Alias moveBack(AliasUpdate update) throws InterruptedException {
    return back.move(update);
  }

  @Override
  public VersionCounters counters(String function, int version) {
    ServingStats s = stats.version(function, version);
    TriggerHost.RecordCounts records =
        triggers
            .recordCounts(function)
            .getOrDefault(version, new TriggerHost.RecordCounts(0, 0, 0));
    return new VersionCounters(
        s.invocations.sum(),
        s.errors.sum(),
        Histogram.BOUNDS,
        s.latency.bucketCounts(),
        records.finished(),
        records.retried(),
        records.failed());
  }

  @Override
  public InvokeResponse invokeVersion(String function, int version, SmokeRequest r)
      throws InterruptedException {
    InvokeRequest request =
        new InvokeRequest(
            function,
            String.valueOf(version),
            r.method(),
            r.path(),
            r.body().getBytes(StandardCharsets.UTF_8),
            r.headers(),
            null);
    try {
      // a cold start and the function's own timeout fit well inside this
      return invoker.invoke(request).get(SMOKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + SMOKE_TIMEOUT.toSeconds() + " s", e);
    }
  }

  @Override
  public boolean triggered(String function, String alias) {
    return state
        .function(function)
        .map(e -> e.triggers().stream().anyMatch(t -> t.alias().equals(alias)))
        .orElse(false);
  }
}
