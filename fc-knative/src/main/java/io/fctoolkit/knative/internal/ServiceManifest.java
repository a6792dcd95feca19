package io.fctoolkit.knative.internal;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.knative.KnativeFinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the {@code serving.knative.dev/v1} Service of a function: the template is the newest
 * version (revision {@code <function>-v<N>}), traffic comes from the aliases, and the versions and
 * aliases ledgers are annotations. The same builder serves the renderer and the platform, so a
 * rendered manifest and an applied one are the same object.
 */
public final class ServiceManifest {

  private ServiceManifest() {}

  /** Port the host listens on; Knative passes it as PORT. */
  static final int PORT = 8080;

  /**
   * Extra seconds of Knative request timeout over the function timeout: the host answers 504 at the
   * function timeout itself, and Knative derives the pod's termination grace from this value, so
   * draining in-flight requests always finishes before the pod is killed.
   */
  static final int GRACE_MARGIN_SECONDS = 10;

  private static final Set<String> RESERVED_ENV =
      Set.of("PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION", "FUNCTION_TARGET");

  public static Map<String, Object> build(
      String namespace,
      String function,
      List<VersionEntry> versions,
      List<AliasEntry> aliases,
      String configuredPrimary,
      List<KnativeFinding> findings) {
    return build(namespace, function, versions, aliases, configuredPrimary, null, findings);
  }

  /**
   * The Service; with {@code flaggerCanary} set, its template is that version and it has no traffic
   * block: Flagger's Knative provider canaries the newest revision and owns the traffic block (it
   * writes the primary and the canary revision there), so a rendered one would fight it on every
   * sync.
   *
   * @param flaggerCanary the version a Flagger Canary rolls out, or null when none does
   */
  public static Map<String, Object> build(
      String namespace,
      String function,
      List<VersionEntry> versions,
      List<AliasEntry> aliases,
      String configuredPrimary,
      Integer flaggerCanary,
      List<KnativeFinding> findings) {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("function " + function + " has no version to serve");
    }
    VersionEntry template = versions.get(0);
    for (VersionEntry v : versions) {
      if (flaggerCanary != null ? v.number() == flaggerCanary : v.number() > template.number()) {
        template = v;
      }
    }
    Map<String, Object> service = new TreeMap<>();
    service.put("apiVersion", Names.SERVING_API);
    service.put("kind", "Service");
    Map<String, Object> metadata = metadata(function, namespace);
    Map<String, Object> annotations = new TreeMap<>();
    annotations.put(Names.ANN_VERSIONS, Ledger.writeVersions(versions));
    annotations.put(Names.ANN_ALIASES, Ledger.writeAliases(aliases));
    String primary = Traffic.primary(aliases, configuredPrimary);
    if (primary != null) {
      annotations.put(Names.ANN_PRIMARY_ALIAS, primary);
    }
    metadata.put("annotations", annotations);
    if (!template.config().publicInvoke()) {
      // Not public: no external route, reachable only inside the cluster (triggers, other pods).
      @SuppressWarnings("unchecked")
      Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
      labels.put("networking.knative.dev/visibility", "cluster-local");
    }
    service.put("metadata", metadata);

    Map<String, Object> spec = new TreeMap<>();
    spec.put("template", template(function, template, findings));
    if (flaggerCanary == null) {
      spec.put("traffic", Traffic.traffic(function, aliases, configuredPrimary, findings));
    }
    service.put("spec", spec);
    return service;
  }

  static Map<String, Object> metadata(String name, String namespace) {
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    Map<String, Object> labels = new TreeMap<>();
    labels.put(Names.LABEL_MANAGED_BY, Names.FIELD_MANAGER);
    metadata.put("labels", labels);
    return metadata;
  }

  private static Map<String, Object> template(
      String function, VersionEntry version, List<KnativeFinding> findings) {
    FunctionConfig config = version.config();
    Map<String, Object> annotations = new TreeMap<>();
    annotations.put(
        "autoscaling.knative.dev/min-scale", String.valueOf(config.scaling().minInstances()));
    annotations.put(
        "autoscaling.knative.dev/max-scale", String.valueOf(config.scaling().maxInstances()));
    Duration idle = config.scaling().idleTimeout();
    if (idle.compareTo(Duration.ofHours(1)) > 0) {
      findings.add(
          KnativeFinding.warning(
              "function.scaling.idleTimeout",
              "Knative's scale-down-delay is at most 1h: idle timeout " + idle + " becomes 1h"));
      idle = Duration.ofHours(1);
    }
    annotations.put("autoscaling.knative.dev/scale-down-delay", idle.toSeconds() + "s");
    annotations.put(Names.ANN_CONTENT_ID, version.contentId());
    annotations.put(Names.ANN_VERSION, String.valueOf(version.number()));
    if (version.releaseId() != null) {
      annotations.put(Names.ANN_RELEASE, version.releaseId());
    }
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("name", Names.revision(function, version.number()));
    metadata.put("annotations", annotations);
    Map<String, Object> labels = new TreeMap<>();
    labels.put(Names.LABEL_FUNCTION, function);
    metadata.put("labels", labels);

    long timeoutMs = config.resources().timeout().toMillis();
    long timeoutSeconds = (timeoutMs + 999) / 1000;
    Map<String, Object> spec = new TreeMap<>();
    spec.put("containerConcurrency", config.resources().concurrency());
    spec.put("timeoutSeconds", timeoutSeconds + GRACE_MARGIN_SECONDS);
    spec.put("containers", List.of(container(function, version, timeoutMs, findings)));

    Map<String, Object> template = new TreeMap<>();
    template.put("metadata", metadata);
    template.put("spec", spec);
    return template;
  }

  private static Map<String, Object> container(
      String function, VersionEntry version, long timeoutMs, List<KnativeFinding> findings) {
    FunctionConfig config = version.config();
    List<Map<String, Object>> env = new ArrayList<>();
    new TreeMap<>(config.env())
        .forEach(
            (key, value) -> {
              if (RESERVED_ENV.contains(key) || key.startsWith("FC_")) {
                findings.add(
                    KnativeFinding.error(
                        "function.env." + key,
                        "is reserved for Knative or fc-host; rename the variable"));
              } else if (value.startsWith(SECRET_PREFIX) && value.endsWith("}")) {
                env.add(secretVar(key, value, findings));
              } else {
                env.add(envVar(key, value));
              }
            });
    env.add(envVar("FC_CONCURRENCY", String.valueOf(config.resources().concurrency())));
    env.add(envVar("FC_DRAIN_TIMEOUT_MS", String.valueOf(timeoutMs)));
    // Platform settings, the same for every revision of the function, so they are not version
    // content: results reach a trigger's onSuccess topic through a Sequence, which forwards only
    // a CloudEvent reply (docs/knative.md 2.1). A plain request's answer is unchanged, and a
    // KafkaSource calling the function directly ignores the reply.
    env.add(envVar("FC_FUNCTION_NAME", function));
    env.add(envVar("FC_REPLY_CLOUDEVENTS", "true"));
    env.add(envVar("FC_TIMEOUT_MS", String.valueOf(timeoutMs)));
    env.add(envVar("FUNCTION_TARGET", config.handler()));

    Map<String, Object> memory = new TreeMap<>();
    memory.put("memory", config.resources().memoryMb() + "Mi");
    Map<String, Object> resources = new TreeMap<>();
    resources.put("limits", memory);
    resources.put("requests", new TreeMap<>(memory));

    Map<String, Object> port = new TreeMap<>();
    port.put("containerPort", PORT);
    port.put("name", "http1");

    Map<String, Object> container = new TreeMap<>();
    container.put("name", "function");
    container.put("image", version.image().toString());
    container.put("env", env);
    container.put("ports", List.of(port));
    container.put("resources", resources);
    // fc-host answers 200 on /_fc/ready only once the function is loaded (503 while draining).
    container.put("readinessProbe", Map.of("httpGet", Map.of("path", "/_fc/ready")));
    container.put("livenessProbe", Map.of("httpGet", Map.of("path", "/_fc/live")));
    return container;
  }

  /**
   * A secret reference as the gitops spec writes it into {@code FunctionConfig.env}: {@code
   * ${secret:<name>/<key>}}. On Knative it becomes a {@code secretKeyRef} to the Kubernetes Secret
   * of that name in the function's namespace, so the value never appears in a manifest.
   */
  static final String SECRET_PREFIX = "${secret:";

  private static Map<String, Object> secretVar(
      String name, String reference, List<KnativeFinding> findings) {
    String inner = reference.substring(SECRET_PREFIX.length(), reference.length() - 1);
    int slash = inner.indexOf('/');
    if (slash <= 0 || slash == inner.length() - 1) {
      findings.add(
          KnativeFinding.error(
              "function.env." + name,
              "secret reference '" + reference + "' must look like ${secret:<secret name>/<key>}"));
      return envVar(name, "");
    }
    Map<String, Object> ref = new TreeMap<>();
    ref.put("name", inner.substring(0, slash));
    ref.put("key", inner.substring(slash + 1));
    Map<String, Object> m = new TreeMap<>();
    m.put("name", name);
    m.put("valueFrom", Map.of("secretKeyRef", ref));
    return m;
  }

  private static Map<String, Object> envVar(String name, String value) {
    Map<String, Object> m = new TreeMap<>();
    m.put("name", name);
    m.put("value", value);
    return m;
  }
}
