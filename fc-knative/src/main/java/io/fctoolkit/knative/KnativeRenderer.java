package io.fctoolkit.knative;

import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.RenderInput.RenderAlias;
import io.fctoolkit.knative.RenderInput.RenderVersion;
import io.fctoolkit.knative.RenderedManifests.Manifest;
import io.fctoolkit.knative.internal.AliasEntry;
import io.fctoolkit.knative.internal.ServiceManifest;
import io.fctoolkit.knative.internal.SortedJson;
import io.fctoolkit.knative.internal.Traffic;
import io.fctoolkit.knative.internal.TriggerManifests;
import io.fctoolkit.knative.internal.VersionEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an environment's Knative manifests: a pure function of its input, deterministic (same
 * input, same bytes), for Argo CD or Flux to sync.
 */
public final class KnativeRenderer {

  private KnativeRenderer() {}

  /**
   * Renders one function's objects in apply order: the Service, then per trigger (by name) its
   * KafkaSinks, Sequence and KafkaSource.
   *
   * @throws UnsupportedOnKnativeException when the input asks for something Knative cannot express
   */
  public static RenderedManifests render(RenderInput input) {
    List<KnativeFinding> findings = new ArrayList<>();
    List<VersionEntry> versions = new ArrayList<>();
    for (RenderVersion v :
        input.versions().stream().sorted(Comparator.comparingInt(RenderVersion::number)).toList()) {
      versions.add(VersionEntry.of(v.number(), v.image(), v.releaseId(), null, v.config()));
    }
    List<AliasEntry> aliases = new ArrayList<>();
    for (RenderAlias a : input.aliases()) {
      // Git is the concurrency control of rendered state; the revision restarts at 1.
      aliases.add(new AliasEntry(a.name(), a.target(), 1, null));
    }
    List<Map<String, Object>> objects = new ArrayList<>();
    objects.add(
        ServiceManifest.build(
            input.namespace(),
            input.function(),
            versions,
            aliases,
            input.primaryAlias(),
            findings));
    String primary = Traffic.primary(aliases, input.primaryAlias());
    for (TriggerSpec t :
        input.triggers().stream().sorted(Comparator.comparing(TriggerSpec::name)).toList()) {
      objects.addAll(
          TriggerManifests.build(
              input.namespace(), t, primary, input.kafkaBootstrapServers(), findings));
    }
    UnsupportedOnKnativeException.throwIfErrors(findings);
    List<Manifest> manifests = new ArrayList<>();
    for (Map<String, Object> o : objects) {
      manifests.add(manifest(o));
    }
    return new RenderedManifests(manifests, findings);
  }

  /**
   * The environment's Namespace, first in apply order. Flux creates no namespace by itself (Argo CD
   * does only with {@code CreateNamespace=true}), so without it the first sync fails. Both
   * controllers are told never to prune it: removing an environment from Git must not delete a
   * namespace that also holds what fc-toolkit does not render (the function's Secrets).
   */
  public static Manifest namespace(String namespace) {
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("name", namespace);
    metadata.put("labels", new TreeMap<>(Map.of("app.kubernetes.io/managed-by", "fc-toolkit")));
    metadata.put(
        "annotations",
        new TreeMap<>(
            Map.of(
                "argocd.argoproj.io/sync-options", "Prune=false",
                "kustomize.toolkit.fluxcd.io/prune", "disabled")));
    Map<String, Object> object = new TreeMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "Namespace");
    object.put("metadata", metadata);
    return manifest(object);
  }

  @SuppressWarnings("unchecked")
  static Manifest manifest(Map<String, Object> object) {
    String kind = (String) object.get("kind");
    String name = (String) ((Map<String, Object>) object.get("metadata")).get("name");
    String file = kind.toLowerCase(Locale.ROOT) + "-" + name + ".yaml";
    String yaml = RenderedManifests.HEADER + "\n" + SortedJson.yaml(object);
    return new Manifest(file, (String) object.get("apiVersion"), kind, name, object, yaml);
  }
}
