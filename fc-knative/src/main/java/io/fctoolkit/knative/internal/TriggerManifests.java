package io.fctoolkit.knative.internal;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.StartOffset;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.KnativeFinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the Knative Eventing objects of one Kafka trigger:
 *
 * <ul>
 *   <li>a {@code sources.knative.dev/v1} KafkaSource reading the topic with the trigger's stable
 *       consumer group, ordering, start offset and delivery (retry, backoff, dead-letter sink);
 *   <li>a KafkaSink ({@code eventing.knative.dev/v1alpha1}) for the dead-letter topic;
 *   <li>with an {@code onSuccess} topic: a {@code flows.knative.dev/v1} Sequence whose single step
 *       is the alias and whose reply goes to a second KafkaSink, because a KafkaSource drops the
 *       sink's reply while a Sequence forwards it.
 * </ul>
 */
public final class TriggerManifests {

  private TriggerManifests() {}

  /** The objects of a trigger in apply order (sinks first, then the sequence, then the source). */
  public static List<Map<String, Object>> build(
      String namespace,
      TriggerSpec trigger,
      String primaryAlias,
      String defaultBootstrap,
      List<KnativeFinding> findings) {
    check(trigger, findings);
    String field = "trigger." + trigger.name();
    String bootstrap =
        trigger.bootstrapServers() != null ? trigger.bootstrapServers() : defaultBootstrap;
    List<String> servers = new ArrayList<>();
    if (bootstrap == null) {
      findings.add(
          KnativeFinding.error(
              field + ".bootstrapServers",
              "no Kafka cluster: Knative has no embedded broker; set bootstrapServers on the"
                  + " trigger or the environment's kafka bootstrap servers"));
    } else {
      Arrays.stream(bootstrap.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(servers::add);
    }
    String fn = trigger.function();
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Object> delivery = delivery(trigger, findings);
    if (trigger.deadLetterTopic() != null) {
      out.add(
          kafkaSink(
              namespace,
              Names.deadLetterSink(fn, trigger.name()),
              trigger,
              trigger.deadLetterTopic(),
              servers));
    }
    Map<String, Object> aliasSink = aliasSink(namespace, trigger, primaryAlias);
    Map<String, Object> sourceSink;
    if (trigger.onSuccessTopic() != null) {
      out.add(
          kafkaSink(
              namespace,
              Names.resultSink(fn, trigger.name()),
              trigger,
              trigger.onSuccessTopic(),
              servers));
      out.add(sequence(namespace, trigger, aliasSink, delivery));
      sourceSink =
          Map.of("ref", ref(Names.SEQUENCE_API, "Sequence", Names.sequence(fn, trigger.name())));
    } else {
      sourceSink = aliasSink;
    }
    out.add(kafkaSource(namespace, trigger, servers, sourceSink, delivery));
    return out;
  }

  /** What Knative cannot express about a trigger, as findings. */
  public static void check(TriggerSpec trigger, List<KnativeFinding> findings) {
    String field = "trigger." + trigger.name();
    if (trigger.ordering() == Ordering.KEY) {
      findings.add(
          KnativeFinding.warning(
              field + ".ordering",
              "ordering 'key' is not expressible on Knative; using 'ordered' (one record at a time"
                  + " per partition), which keeps per-key order but serialises different keys of"
                  + " one partition"));
    }
    if (trigger.batchSize() != 1) {
      findings.add(
          KnativeFinding.error(
              field + ".batchSize",
              "KafkaSource delivers one record per invocation; batchSize "
                  + trigger.batchSize()
                  + " is not expressible, set it to 1"));
    }
    if (trigger.ordering() != Ordering.PARTITION && trigger.maxInFlight() != 100) {
      findings.add(
          KnativeFinding.warning(
              field + ".maxInFlight",
              "KafkaSource has no per-source in-flight limit; maxInFlight "
                  + trigger.maxInFlight()
                  + " is not applied (the Kafka data plane's own limits apply)"));
    }
    if (trigger.onSuccessTopic() != null && trigger.ordering() != Ordering.NONE) {
      findings.add(
          KnativeFinding.warning(
              field + ".ordering",
              "with an onSuccess topic records pass through a Sequence (KafkaChannel); ordering"
                  + " applies from the topic to the channel, and the channel's subscription"
                  + " order applies from there to the function"));
    }
    RetryPolicy retry = trigger.retry();
    if (retry.attempts() > 1) {
      Duration last = retry.initialBackoff().multipliedBy(1L << Math.min(30, retry.attempts() - 2));
      if (last.compareTo(retry.maxBackoff()) > 0) {
        findings.add(
            KnativeFinding.warning(
                field + ".retry.maxBackoff",
                "Knative's exponential backoff has no cap: the last retry waits "
                    + last
                    + ", more than maxBackoff "
                    + retry.maxBackoff()));
      }
    }
  }

  private static Map<String, Object> delivery(TriggerSpec trigger, List<KnativeFinding> findings) {
    Map<String, Object> delivery = new TreeMap<>();
    RetryPolicy retry = trigger.retry();
    // fc counts attempts including the first; Knative counts retries after it.
    delivery.put("retry", retry.attempts() - 1);
    delivery.put("backoffPolicy", "exponential");
    delivery.put("backoffDelay", iso(retry.initialBackoff()));
    if (trigger.deadLetterTopic() != null) {
      delivery.put(
          "deadLetterSink",
          Map.of(
              "ref",
              ref(
                  Names.KAFKA_SINK_API,
                  "KafkaSink",
                  Names.deadLetterSink(trigger.function(), trigger.name()))));
    }
    return delivery;
  }

  /** ISO-8601 duration as Knative expects it, e.g. {@code PT0.2S}. */
  static String iso(Duration d) {
    return d.toString();
  }

  private static Map<String, Object> aliasSink(
      String namespace, TriggerSpec trigger, String primaryAlias) {
    if (trigger.alias().equals(primaryAlias)) {
      // The default route is the primary alias's split (canary included).
      return Map.of("ref", ref(Names.SERVING_API, "Service", trigger.function()));
    }
    return Map.of("uri", Names.tagAddress(trigger.alias(), trigger.function(), namespace));
  }

  private static Map<String, Object> ref(String apiVersion, String kind, String name) {
    Map<String, Object> ref = new TreeMap<>();
    ref.put("apiVersion", apiVersion);
    ref.put("kind", kind);
    ref.put("name", name);
    return ref;
  }

  private static Map<String, Object> metadata(String name, String namespace, TriggerSpec trigger) {
    Map<String, Object> metadata = ServiceManifest.metadata(name, namespace);
    @SuppressWarnings("unchecked")
    Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
    labels.put(Names.LABEL_FUNCTION, trigger.function());
    labels.put(Names.LABEL_TRIGGER, trigger.name());
    return metadata;
  }

  private static Map<String, Object> kafkaSource(
      String namespace,
      TriggerSpec trigger,
      List<String> servers,
      Map<String, Object> sink,
      Map<String, Object> delivery) {
    Map<String, Object> metadata =
        metadata(Names.source(trigger.function(), trigger.name()), namespace, trigger);
    metadata.put("annotations", Map.of(Names.ANN_TRIGGER, TriggerCodec.write(trigger)));
    Map<String, Object> spec = new TreeMap<>();
    spec.put("bootstrapServers", servers);
    spec.put("topics", List.of(trigger.topic()));
    spec.put("consumerGroup", trigger.consumerGroup());
    spec.put("consumers", trigger.partitions());
    spec.put(
        "initialOffset", trigger.startOffset() == StartOffset.EARLIEST ? "earliest" : "latest");
    spec.put("ordering", trigger.ordering() == Ordering.NONE ? "unordered" : "ordered");
    spec.put("delivery", delivery);
    spec.put("sink", sink);
    Map<String, Object> source = new TreeMap<>();
    source.put("apiVersion", Names.KAFKA_SOURCE_API);
    source.put("kind", "KafkaSource");
    source.put("metadata", metadata);
    source.put("spec", spec);
    return source;
  }

  private static Map<String, Object> kafkaSink(
      String namespace, String name, TriggerSpec trigger, String topic, List<String> servers) {
    Map<String, Object> spec = new TreeMap<>();
    spec.put("topic", topic);
    spec.put("bootstrapServers", servers);
    spec.put("numPartitions", trigger.partitions());
    // Binary mode keeps the record value as the body and the CloudEvent attributes in headers.
    spec.put("contentMode", "binary");
    Map<String, Object> sink = new TreeMap<>();
    sink.put("apiVersion", Names.KAFKA_SINK_API);
    sink.put("kind", "KafkaSink");
    sink.put("metadata", metadata(name, namespace, trigger));
    sink.put("spec", spec);
    return sink;
  }

  private static Map<String, Object> sequence(
      String namespace,
      TriggerSpec trigger,
      Map<String, Object> aliasSink,
      Map<String, Object> delivery) {
    Map<String, Object> step = new TreeMap<>(aliasSink);
    step.put("delivery", delivery);
    Map<String, Object> channel = new TreeMap<>();
    channel.put("apiVersion", Names.KAFKA_CHANNEL_API);
    channel.put("kind", "KafkaChannel");
    channel.put("spec", Map.of("numPartitions", trigger.partitions()));
    Map<String, Object> spec = new TreeMap<>();
    spec.put("channelTemplate", channel);
    spec.put("steps", List.of(step));
    spec.put(
        "reply",
        Map.of(
            "ref",
            ref(
                Names.KAFKA_SINK_API,
                "KafkaSink",
                Names.resultSink(trigger.function(), trigger.name()))));
    Map<String, Object> sequence = new TreeMap<>();
    sequence.put("apiVersion", Names.SEQUENCE_API);
    sequence.put("kind", "Sequence");
    sequence.put(
        "metadata",
        metadata(Names.sequence(trigger.function(), trigger.name()), namespace, trigger));
    sequence.put("spec", spec);
    return sequence;
  }
}
