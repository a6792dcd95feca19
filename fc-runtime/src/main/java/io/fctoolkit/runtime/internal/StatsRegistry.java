package io.fctoolkit.runtime.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** The serving counters of every version and alias, made on first use and kept for metrics. */
public final class StatsRegistry {

  private final Map<String, ServingStats> versions = new ConcurrentHashMap<>();
  private final Map<AliasKey, ServingStats> aliases = new ConcurrentHashMap<>();

  /** An alias of a function. */
  record AliasKey(String function, String alias) {}

  public ServingStats version(String function, int number) {
    return versions.computeIfAbsent(VersionPools.key(function, number), k -> new ServingStats());
  }

  public ServingStats alias(String function, String alias) {
    return aliases.computeIfAbsent(new AliasKey(function, alias), k -> new ServingStats());
  }

  /** Visits every alias that has counters, in no particular order. */
  void forEachAlias(BiConsumer<AliasKey, ServingStats> visitor) {
    aliases.forEach(visitor);
  }
}
