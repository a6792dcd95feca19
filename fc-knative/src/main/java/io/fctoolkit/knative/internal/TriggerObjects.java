package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.KnativeFinding;
import io.fctoolkit.knative.KnativeOptions;
import io.fctoolkit.knative.UnsupportedOnKnativeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A trigger's objects: its KafkaSource (which records the trigger as an annotation), the KafkaSinks
 * of its dead letters and results, and the Sequence that carries results.
 */
public final class TriggerObjects {

  private final Kube kube;
  private final KnativeOptions options;
  private final Consumer<FcEvent> events;
  private final ServiceWrites services;

  public TriggerObjects(
      Kube kube, KnativeOptions options, Consumer<FcEvent> events, ServiceWrites services) {
    this.kube = requireNonNull(kube, "kube");
    this.options = requireNonNull(options, "options");
    this.events = requireNonNull(events, "events");
    this.services = requireNonNull(services, "services");
  }

  /** The function's triggers, by name, as recorded on their KafkaSources. */
  public List<TriggerSpec> list(String function) {
    List<TriggerSpec> out = new ArrayList<>();
    for (GenericKubernetesResource source :
        kube.list(KnativeKinds.KAFKA_SOURCE, Map.of(Names.LABEL_FUNCTION, function))) {
      String json = annotation(source, Names.ANN_TRIGGER);
      if (json != null) {
        out.add(TriggerCodec.read(json, "KafkaSource " + source.getMetadata().getName()));
      }
    }
    out.sort(Comparator.comparing(TriggerSpec::name));
    return out;
  }

  /** Applies a trigger's objects, then removes those the new spec no longer has. */
  public TriggerSpec put(TriggerSpec trigger) {
    String function = trigger.function();
    ServiceState state = services.read(function);
    ServiceWrites.requireExists(state);
    if (!ServiceWrites.hasAlias(state, trigger.alias())) {
      throw new NotFoundException(
          "alias",
          function + "/" + trigger.alias(),
          "create the alias before the trigger that invokes it");
    }
    String primary = Traffic.primary(state.aliases(), options.primaryAlias());
    List<KnativeFinding> findings = new ArrayList<>();
    List<Map<String, Object>> objects =
        TriggerManifests.build(
            options.namespace(), trigger, primary, options.kafkaBootstrapServers(), findings);
    UnsupportedOnKnativeException.throwIfErrors(findings);
    findings.forEach(f -> events.accept(FcEvent.warn(f.field() + ": " + f.message())));

    String sourceName = Names.source(function, trigger.name());
    Optional<TriggerSpec> old =
        kube.get(KnativeKinds.KAFKA_SOURCE, sourceName)
            .map(s -> annotation(s, Names.ANN_TRIGGER))
            .map(json -> TriggerCodec.read(json, "KafkaSource " + sourceName));
    if (old.isPresent() && !old.get().consumerGroup().equals(trigger.consumerGroup())) {
      events.accept(
          FcEvent.warn(
              "trigger "
                  + trigger.name()
                  + ": consumer group changes from "
                  + old.get().consumerGroup()
                  + " to "
                  + trigger.consumerGroup()
                  + "; the new group starts at "
                  + trigger.startOffset().name().toLowerCase(Locale.ROOT)
                  + " and the old group's offsets stay in the broker"));
    }
    for (Map<String, Object> object : objects) {
      kube.apply(object, null);
    }
    // Remove what the new spec no longer has, after the source points away from it.
    Set<String> applied = new HashSet<>();
    objects.forEach(o -> applied.add(o.get("kind") + "/" + name(o)));
    if (!applied.contains("Sequence/" + Names.sequence(function, trigger.name()))) {
      kube.delete(KnativeKinds.SEQUENCE, Names.sequence(function, trigger.name()));
    }
    for (String sink :
        List.of(
            Names.resultSink(function, trigger.name()),
            Names.deadLetterSink(function, trigger.name()))) {
      if (!applied.contains("KafkaSink/" + sink)) {
        kube.delete(KnativeKinds.KAFKA_SINK, sink);
      }
    }
    events.accept(
        FcEvent.lifecycle(
            (old.isPresent() ? "Updated" : "Created")
                + " trigger "
                + function
                + "/"
                + trigger.name()
                + ": topic "
                + trigger.topic()
                + " -> alias "
                + trigger.alias()
                + " (KafkaSource "
                + sourceName
                + ", group "
                + trigger.consumerGroup()
                + ")"));
    return trigger;
  }

  /** Deletes a trigger's source first, so nothing reads into sinks that are about to go. */
  public void delete(String function, String trigger) {
    String sourceName = Names.source(function, trigger);
    if (!kube.delete(KnativeKinds.KAFKA_SOURCE, sourceName)) {
      throw new NotFoundException(
          "trigger", function + "/" + trigger, "the function's status lists its triggers");
    }
    kube.delete(KnativeKinds.SEQUENCE, Names.sequence(function, trigger));
    kube.delete(KnativeKinds.KAFKA_SINK, Names.resultSink(function, trigger));
    kube.delete(KnativeKinds.KAFKA_SINK, Names.deadLetterSink(function, trigger));
    events.accept(FcEvent.lifecycle("Deleted trigger " + function + "/" + trigger));
  }

  private static String annotation(GenericKubernetesResource r, String key) {
    Map<String, String> a = r.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  @SuppressWarnings("unchecked")
  private static String name(Map<String, Object> object) {
    return (String) ((Map<String, Object>) object.get("metadata")).get("name");
  }
}
