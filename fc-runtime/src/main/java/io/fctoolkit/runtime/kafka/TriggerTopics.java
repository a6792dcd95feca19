package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.TriggerSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The topics a trigger reads and writes, and whether the runtime may create them. */
final class TriggerTopics {
  private TriggerTopics() {}

  /** The source topic, then the dead-letter and result topics when set. */
  static Set<String> needed(TriggerSpec spec) {
    Set<String> needed = new LinkedHashSet<>();
    needed.add(spec.topic());
    if (spec.deadLetterTopic() != null) {
      needed.add(spec.deadLetterTopic());
    }
    if (spec.onSuccessTopic() != null) {
      needed.add(spec.onSuccessTopic());
    }
    return needed;
  }

  /**
   * Topics are created only on the environment's own (embedded) cluster; on a cluster the trigger
   * names, a missing topic is the user's to create.
   */
  static boolean mayCreate(TriggerSpec spec, TriggerEngineConfig config) {
    return config.createTopics() && spec.bootstrapServers() == null;
  }

  /** The needed topics absent from {@code existing}, in order. */
  static List<String> missing(TriggerSpec spec, Set<String> existing) {
    List<String> missing = new ArrayList<>();
    for (String topic : needed(spec)) {
      if (!existing.contains(topic)) {
        missing.add(topic);
      }
    }
    return missing;
  }
}
