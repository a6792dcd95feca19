package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of version pools and of the versions' logs: a pool is made on first use and lives
 * until its version is deleted or the runtime closes.
 */
public final class VersionPools {

  private static final Logger LOG = LoggerFactory.getLogger(VersionPools.class);

  private final Function<Version, LaunchSpec> specs;
  private final StatsRegistry stats;
  private final InstanceClient client;
  private final Executor launcher;
  private final ScheduledExecutorService timer;
  private final PoolSettings settings;
  private final Path logsDir;
  private final Map<String, VersionPool> pools = new ConcurrentHashMap<>();
  private final Map<String, LogSink> logs = new ConcurrentHashMap<>();

  /**
   * @param specs how to launch an instance of a version, asked at every launch
   * @param logsDir the folder of the per-function log folders
   */
  public VersionPools(
      Function<Version, LaunchSpec> specs,
      StatsRegistry stats,
      InstanceClient client,
      Executor launcher,
      ScheduledExecutorService timer,
      PoolSettings settings,
      Path logsDir) {
    this.specs = specs;
    this.stats = stats;
    this.client = client;
    this.launcher = launcher;
    this.timer = timer;
    this.settings = settings;
    this.logsDir = logsDir;
  }

  static String key(String function, int version) {
    return function + "/" + version;
  }

  /** The pool of {@code v}, made if missing. */
  public VersionPool pool(Version v) {
    return pools.computeIfAbsent(
        key(v.function(), v.number()),
        k ->
            new VersionPool(
                v,
                () -> specs.apply(v),
                log(v.function(), v.number()),
                stats.version(v.function(), v.number()),
                client,
                launcher,
                timer,
                settings));
  }

  /** The pool of a version if one was made, else null. */
  public VersionPool find(String function, int number) {
    return pools.get(key(function, number));
  }

  /** Closes a version's pool: instances drain ({@code force}: are killed). */
  public void close(String function, int number, boolean force) {
    VersionPool pool = pools.remove(key(function, number));
    if (pool != null) {
      pool.close(force);
    }
  }

  /** Tells each pool of {@code function} whether an alias routes to it. */
  public void markRouted(String function, Set<Integer> routed) {
    pools.forEach(
        (k, pool) -> {
          if (pool.version().function().equals(function)) {
            pool.routed(routed.contains(pool.version().number()));
          }
        });
  }

  /** Idle reclaim and minimum instances, for every pool; one pool's failure stops no other. */
  public void reapAll() {
    for (VersionPool pool : pools.values()) {
      try {
        pool.reap();
      } catch (RuntimeException e) {
        LOG.warn("reaper failed for {}: {}", pool.version().function(), e.toString());
      }
    }
  }

  /** Closes every pool (instances drain) and then the logs. */
  public void closeAll() {
    for (VersionPool pool : pools.values()) {
      pool.close(false);
    }
  }

  public void closeLogs() {
    logs.values().forEach(LogSink::close);
  }

  public LogSink log(String function, int version) {
    return logs.computeIfAbsent(
        key(function, version),
        k -> {
          try {
            return new LogSink(logFile(function, version));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  public Path logFile(String function, int version) {
    return logsDir.resolve(function).resolve("v" + version + ".log");
  }

  /** The log of publishes that were refused and of training runs. */
  public Path publishLog(String function) {
    return logsDir.resolve(function).resolve("publish.log");
  }

  /** Moves the log of a version that was not recorded into {@code publish.log}; returns that. */
  public Path discardVersionLog(String function, int number) {
    Path publishLog = publishLog(function);
    LogSink sink = logs.remove(key(function, number));
    if (sink != null) {
      sink.close();
    }
    Path versionLog = logFile(function, number);
    try {
      if (Files.exists(versionLog)) {
        Files.createDirectories(publishLog.getParent());
        Files.write(
            publishLog,
            Files.readAllBytes(versionLog),
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        Files.delete(versionLog);
      }
    } catch (IOException e) {
      LOG.warn("function={} could not move {} to {}: {}", function, versionLog, publishLog, e);
    }
    return publishLog;
  }
}
