package io.fctoolkit.knative.internal;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.StartOffset;
import io.fctoolkit.core.TriggerSpec;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a {@link TriggerSpec} as the KafkaSource annotation, because Knative has no place for
 * some of its fields (maxInFlight, allowDrop, maxBackoff) and describe must return what was asked.
 */
public final class TriggerCodec {

  private TriggerCodec() {}

  public static String write(TriggerSpec t) {
    Map<String, Object> m = new TreeMap<>();
    m.put("name", t.name());
    m.put("function", t.function());
    m.put("alias", t.alias());
    m.put("topic", t.topic());
    m.put("consumerGroup", t.consumerGroup());
    m.put("ordering", t.ordering().name());
    m.put("maxInFlight", t.maxInFlight());
    m.put("batchSize", t.batchSize());
    m.put("startOffset", t.startOffset().name());
    m.put("attempts", t.retry().attempts());
    m.put("initialBackoffMs", t.retry().initialBackoff().toMillis());
    m.put("maxBackoffMs", t.retry().maxBackoff().toMillis());
    if (t.deadLetterTopic() != null) {
      m.put("deadLetterTopic", t.deadLetterTopic());
    }
    if (t.onSuccessTopic() != null) {
      m.put("onSuccessTopic", t.onSuccessTopic());
    }
    m.put("allowDrop", t.allowDrop());
    if (t.bootstrapServers() != null) {
      m.put("bootstrapServers", t.bootstrapServers());
    }
    m.put("partitions", t.partitions());
    return SortedJson.pretty(m);
  }

  public static TriggerSpec read(String json, String where) {
    try {
      Map<String, Object> m = SortedJson.readMap(json);
      return TriggerSpec.builder(
              (String) m.get("name"),
              (String) m.get("function"),
              (String) m.get("alias"),
              (String) m.get("topic"))
          .consumerGroup((String) m.get("consumerGroup"))
          .ordering(Ordering.valueOf((String) m.get("ordering")))
          .maxInFlight(((Number) m.get("maxInFlight")).intValue())
          .batchSize(((Number) m.get("batchSize")).intValue())
          .startOffset(StartOffset.valueOf((String) m.get("startOffset")))
          .retry(
              new RetryPolicy(
                  ((Number) m.get("attempts")).intValue(),
                  Duration.ofMillis(((Number) m.get("initialBackoffMs")).longValue()),
                  Duration.ofMillis(((Number) m.get("maxBackoffMs")).longValue())))
          .deadLetterTopic((String) m.get("deadLetterTopic"))
          .onSuccessTopic((String) m.get("onSuccessTopic"))
          .allowDrop(Boolean.TRUE.equals(m.get("allowDrop")))
          .bootstrapServers((String) m.get("bootstrapServers"))
          .partitions(((Number) m.get("partitions")).intValue())
          .build();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "annotation " + Names.ANN_TRIGGER + " of " + where + " is not readable: " + e, e);
    }
  }
}
