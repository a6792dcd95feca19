package io.fctoolkit.core;

/** How an alias with two versions picks one per request. */
public enum Affinity {
  /** Each request is routed at random according to the weight. */
  NONE,
  /**
   * Requests are routed by a hash of their routing key (a Kafka record key, or the {@code
   * fc-routing-key} HTTP header), so one key always meets the same version during a canary.
   */
  KEY
}
