package io.fctoolkit.runtime.kafka.internal;

import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a Kafka record into a binary-mode CloudEvent invocation the way Knative's KafkaSource does,
 * so a function cannot tell the local runtime from Knative.
 *
 * <p>Knative's KafkaSource sets {@code ce-id: partition:<p>/offset:<o>}, {@code ce-source:
 * /apis/v1/namespaces/<ns>/kafkasources/<source>#<topic>}, {@code ce-subject: partition:<p>#<o>},
 * {@code ce-type: dev.knative.kafka.event}, {@code ce-time} from the record timestamp and the
 * record key as the {@code key} extension ({@code ce-key}); the body is the record value. Record
 * headers pass through as HTTP headers; the CloudEvents attributes above win over record headers of
 * the same name.
 */
public final class CloudEventMapper {

  /** The CloudEvents type Knative's KafkaSource uses. */
  public static final String TYPE = "dev.knative.kafka.event";

  private final String function;
  private final String alias;
  private final String source;

  public CloudEventMapper(TriggerSpec spec, String namespace) {
    this.function = spec.function();
    this.alias = spec.alias();
    this.source =
        "/apis/v1/namespaces/"
            + namespace
            + "/kafkasources/"
            + sourceName(spec)
            + "#"
            + spec.topic();
  }

  /** The KafkaSource name the Knative mapping uses for a trigger: {@code <function>-<trigger>}. */
  public static String sourceName(TriggerSpec spec) {
    return spec.function() + "-" + spec.name();
  }

  /** The value of {@code ce-source} for this trigger's records. */
  public String source() {
    return source;
  }

  /** The invocation for one record; the record key is the routing key for key affinity. */
  public InvokeRequest toRequest(ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    List<Map.Entry<String, String>> attributes = new ArrayList<>(7);
    attributes.add(Map.entry("ce-specversion", "1.0"));
    attributes.add(
        Map.entry("ce-id", "partition:" + record.partition() + "/offset:" + record.offset()));
    attributes.add(Map.entry("ce-source", source));
    attributes.add(Map.entry("ce-type", TYPE));
    attributes.add(
        Map.entry("ce-subject", "partition:" + record.partition() + "#" + record.offset()));
    if (record.timestamp() >= 0) {
      attributes.add(
          Map.entry(
              "ce-time",
              DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(record.timestamp()))));
    }
    if (key != null) {
      attributes.add(Map.entry("ce-key", key));
    }
    byte[] body = record.value() == null ? new byte[0] : record.value();
    return new InvokeRequest(function, alias, body, headers(record, attributes), key);
  }

  // Most records carry no headers: their map is built once, immutable, and InvokeRequest keeps it
  // as it is (a LinkedHashMap copied into an immutable one was a fifth of the trigger thread's CPU
  // with a no-op function).
  @SuppressWarnings("unchecked")
  private static Map<String, String> headers(
      ConsumerRecord<byte[], byte[]> record, List<Map.Entry<String, String>> attributes) {
    if (!record.headers().iterator().hasNext()) {
      return Map.ofEntries(attributes.toArray(new Map.Entry[0]));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      if (h.value() != null) {
        headers.put(
            h.key().toLowerCase(Locale.ROOT), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    for (Map.Entry<String, String> a : attributes) {
      headers.put(a.getKey(), a.getValue());
    }
    return headers;
  }
}
