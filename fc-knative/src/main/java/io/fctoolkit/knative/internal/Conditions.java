package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.knative.pkg.apis.Condition;
import io.fabric8.knative.serving.v1.Revision;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PlatformObject;
import io.fctoolkit.core.TriggerStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Ready} conditions Knative's controllers report on a function's objects, read as
 * fc-toolkit's {@link PlatformObject}s and trigger states.
 */
public final class Conditions {

  private final Kube kube;

  public Conditions(Kube kube) {
    this.kube = requireNonNull(kube, "kube");
  }

  /**
   * The Service, the revisions of its versions and the objects of its triggers, each with its Ready
   * condition.
   */
  public List<PlatformObject> objects(String function) {
    List<PlatformObject> out = new ArrayList<>();
    GenericKubernetesResource service =
        kube.get(KnativeKinds.SERVICE, function)
            .orElseThrow(() -> new NotFoundException("function", function, "publish it first"));
    out.add(of(service));
    for (VersionEntry v : ServiceState.of(service).versions()) {
      String name = Names.revision(function, v.number());
      out.add(
          revision(name)
              .orElse(
                  new PlatformObject(
                      "Revision", name, PlatformObject.UNKNOWN, "NotFound", "no such revision")));
    }
    Map<String, String> byFunction = Map.of(Names.LABEL_FUNCTION, function);
    for (var kind :
        List.of(KnativeKinds.KAFKA_SINK, KnativeKinds.SEQUENCE, KnativeKinds.KAFKA_SOURCE)) {
      kube.list(kind, byFunction).stream()
          .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
          .forEach(r -> out.add(of(r)));
    }
    return out;
  }

  /** A revision's Ready condition, or empty when the revision does not exist. */
  public Optional<PlatformObject> revision(String name) {
    return kube.revision(name).map(Conditions::of);
  }

  /** Each KafkaSource of the function as a trigger state: RUNNING, FAILED (with why) or PENDING. */
  public List<TriggerStatus> triggers(String function) {
    List<TriggerStatus> triggers = new ArrayList<>();
    for (GenericKubernetesResource source :
        kube.list(KnativeKinds.KAFKA_SOURCE, Map.of(Names.LABEL_FUNCTION, function))) {
      PlatformObject s = of(source);
      Map<String, String> labels = source.getMetadata().getLabels();
      String trigger =
          labels == null
              ? source.getMetadata().getName()
              : labels.getOrDefault(Names.LABEL_TRIGGER, source.getMetadata().getName());
      String state =
          switch (s.ready()) {
            case PlatformObject.READY -> "RUNNING";
            case PlatformObject.NOT_READY -> "FAILED";
            default -> "PENDING";
          };
      String error = s.isFailed() ? s.reason() + ": " + s.message() : null;
      triggers.add(new TriggerStatus(trigger, state, error, List.of()));
    }
    triggers.sort(Comparator.comparing(TriggerStatus::trigger));
    return triggers;
  }

  /**
   * Refuses to move traffic to a revision that reports {@code Ready=False}: Knative's route would
   * keep the old split, or answer 503 for a new alias. A revision not (yet) reported is fine:
   * Knative's route shifts traffic only once the revision is Ready, and its activator holds
   * requests while a revision scales from zero, so an alias move fails no request.
   */
  public void requireNotFailed(String function, int version) {
    String revision = Names.revision(function, version);
    revision(revision)
        .filter(PlatformObject::isFailed)
        .ifPresent(
            s -> {
              throw new ConflictException(
                  "revision "
                      + revision
                      + " is not Ready ("
                      + s.reason()
                      + ": "
                      + s.message()
                      + "), so no alias may point at it",
                  "kubectl describe revision "
                      + revision
                      + " shows why; publish a fixed version instead");
            });
  }

  /** The Ready condition of any object, read from its generic {@code status.conditions}. */
  @SuppressWarnings("unchecked")
  public static PlatformObject of(GenericKubernetesResource resource) {
    String kind = resource.getKind() == null ? "Object" : resource.getKind();
    String name = resource.getMetadata().getName();
    Object status = resource.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> map && map.get("conditions") instanceof List<?> conditions) {
      for (Object o : conditions) {
        Map<String, Object> c = (Map<String, Object>) o;
        if ("Ready".equals(c.get("type"))) {
          return new PlatformObject(
              kind,
              name,
              String.valueOf(c.get("status")).toUpperCase(Locale.ROOT),
              (String) c.get("reason"),
              (String) c.get("message"));
        }
      }
    }
    return notReported(kind, name);
  }

  private static PlatformObject of(Revision revision) {
    String name = revision.getMetadata().getName();
    if (revision.getStatus() != null && revision.getStatus().getConditions() != null) {
      for (Condition c : revision.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          return new PlatformObject(
              "Revision",
              name,
              String.valueOf(c.getStatus()).toUpperCase(Locale.ROOT),
              c.getReason(),
              c.getMessage());
        }
      }
    }
    return notReported("Revision", name);
  }

  private static PlatformObject notReported(String kind, String name) {
    return new PlatformObject(
        kind, name, PlatformObject.UNKNOWN, null, "no Ready condition reported yet");
  }
}
