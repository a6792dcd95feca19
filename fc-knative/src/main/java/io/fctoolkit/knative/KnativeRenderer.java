package io.fctoolkit.knative;

import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.RenderInput.RenderAlias;
import io.fctoolkit.knative.RenderInput.RenderVersion;
import io.fctoolkit.knative.RenderedManifests.Manifest;
import io.fctoolkit.knative.internal.AliasEntry;
import io.fctoolkit.knative.internal.FlaggerCanary;
import io.fctoolkit.knative.internal.Names;
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
   * KafkaSinks, Sequence and KafkaSource, then for an alias with a rollout strategy Flagger's
   * MetricTemplates and Canary.
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
    List<Map<String, Object>> rollout = new ArrayList<>();
    Integer flaggerCanary = rollout(input, versions, rollout, findings);
    List<Map<String, Object>> objects = new ArrayList<>();
    objects.add(
        ServiceManifest.build(
            input.namespace(),
            input.function(),
            versions,
            aliases,
            input.primaryAlias(),
            flaggerCanary,
            findings));
    String primary = Traffic.primary(aliases, input.primaryAlias());
    for (TriggerSpec t :
        input.triggers().stream().sorted(Comparator.comparing(TriggerSpec::name)).toList()) {
      objects.addAll(
          TriggerManifests.build(
              input.namespace(), t, primary, input.kafkaBootstrapServers(), findings));
    }
    objects.addAll(rollout);
    UnsupportedOnKnativeException.throwIfErrors(findings);
    List<Manifest> manifests = new ArrayList<>();
    for (Map<String, Object> o : objects) {
      manifests.add(manifest(o));
    }
    return new RenderedManifests(manifests, findings);
  }

  /**
   * Renders the alias with a rollout strategy (at most one: Flagger owns the whole traffic block)
   * as Flagger objects into {@code out}.
   *
   * @return the version the Canary rolls out (the Service's template), or null without a rollout
   */
  private static Integer rollout(
      RenderInput input,
      List<VersionEntry> versions,
      List<Map<String, Object>> out,
      List<KnativeFinding> findings) {
    List<RenderAlias> aliases = input.aliases();
    for (int i = 0; i < aliases.size(); i++) {
      RenderAlias alias = aliases.get(i);
      if (alias.rollout() == null) {
        continue;
      }
      // The environment file's path of the block, so the caller can point at its line.
      String field = "functions." + input.function() + ".aliases[" + i + "].rollout";
      int version = alias.target().version();
      int newest = versions.stream().mapToInt(VersionEntry::number).max().orElse(version);
      if (version != newest) {
        findings.add(
            KnativeFinding.warning(
                field,
                "the Service's template becomes "
                    + Names.revision(input.function(), version)
                    + " (release of alias '"
                    + alias.name()
                    + "'), not the newest "
                    + Names.revision(input.function(), newest)
                    + ": Flagger canaries the template's revision, so going back to an older"
                    + " release runs the same checks"));
      }
      if (alias.target().hasCanary()) {
        findings.add(
            KnativeFinding.error(
                field,
                "a rollout sets the canary itself: remove canaryRelease and weight from alias '"
                    + alias.name()
                    + "'"));
      }
      out.addAll(
          rolloutObjects(
              input.namespace(),
              input.function(),
              alias.name(),
              field,
              alias.rollout(),
              version,
              input.triggers().stream().filter(t -> t.alias().equals(alias.name())).toList(),
              aliases.stream().map(RenderAlias::name).filter(n -> !n.equals(alias.name())).toList(),
              findings));
      return version;
    }
    return null;
  }

  /** Flagger's objects for one alias's rollout; what they cannot express goes to findings. */
  private static List<Map<String, Object>> rolloutObjects(
      String namespace,
      String function,
      String alias,
      String field,
      RolloutStrategy strategy,
      int version,
      List<TriggerSpec> triggers,
      List<String> otherAliases,
      List<KnativeFinding> findings) {
    if (!otherAliases.isEmpty()) {
      findings.add(
          KnativeFinding.error(
              field,
              "Flagger's Knative provider replaces the Service's traffic block with its primary"
                  + " and canary revision, without tags, so the routes of alias(es) "
                  + otherAliases
                  + " would disappear; on Knative an alias with a rollout must be its function's"
                  + " only alias in the environment"));
    }
    return FlaggerCanary.build(
        namespace, function, alias, field, strategy, version, triggers, findings);
  }

  /**
   * For the plan: what Flagger will do with an alias's rollout, rendered by {@code fc:render}
   * (first, as a note without severity: an INFO), then per field what it runs differently
   * (warnings) or cannot run (errors).
   *
   * @param field the environment file's path of the {@code rollout} block
   * @param triggers the triggers that invoke the alias
   * @param otherAliases the function's other aliases in the environment
   * @return the summary and the findings
   */
  public static RolloutPlan rolloutPlan(
      String function,
      String alias,
      String field,
      RolloutStrategy strategy,
      List<TriggerSpec> triggers,
      List<String> otherAliases) {
    List<KnativeFinding> findings = new ArrayList<>();
    // The namespace and version only name objects; the plan shows neither.
    List<Map<String, Object>> objects =
        rolloutObjects(
            "plan", function, alias, field, strategy, 1, triggers, otherAliases, findings);
    return new RolloutPlan(FlaggerCanary.summary(objects), findings);
  }

  /**
   * What {@link #rolloutPlan} found.
   *
   * @param summary what Flagger will do, in one sentence
   * @param findings per field, what it runs differently or cannot run
   */
  public record RolloutPlan(String summary, List<KnativeFinding> findings) {
    public RolloutPlan {
      findings = List.copyOf(findings);
    }
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
