package io.fctoolkit.knative.internal;

import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.KnativeFinding;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an alias's rollout strategy as Flagger objects for its Knative provider: one {@code
 * Canary} that targets the function's Service, and Prometheus {@code MetricTemplate}s for the
 * checks Flagger has no built-in for. What Flagger runs differently, or cannot run, becomes a
 * finding whose field is the environment file's path of the rollout field, so that the caller can
 * point at its line.
 *
 * <p>Flagger's Knative provider canaries the Service's newest revision against the revision it
 * recorded as primary, and owns the Service's traffic block while it does (docs/knative.md 2.6).
 */
public final class FlaggerCanary {

  private FlaggerCanary() {}

  public static final String API = "flagger.app/v1beta1";

  /** The shortest window a metric is computed over. */
  static final long MIN_WINDOW_SECONDS = 60;

  /**
   * The Prometheus that Flagger's Knative installation ({@code kustomize/knative} of
   * fluxcd/flagger) deploys next to Flagger and passes as its metrics server; the templates live in
   * the function's namespace, so the address is fully qualified.
   */
  public static final String PROMETHEUS = "http://flagger-prometheus.flagger-system:9090";

  /**
   * Requests that reached one revision, as Kourier's Envoy counts them: the same series and the
   * same {@code namespace/revision} cluster name as Flagger's built-in Knative queries, so the
   * sample count and the built-in error rate count the same requests. No series is 0 samples.
   */
  static final String SAMPLES_QUERY =
      "sum(increase(envoy_cluster_upstream_rq{envoy_cluster_name=~\"{{ namespace }}/{{"
          + " variables.revision }}\"}[{{ interval }}])) or on() vector(0)";

  /**
   * Canary p99 over the p99 of every other revision of the Service (during an analysis Flagger
   * routes only to the primary and the canary). Like the local runtime, the check is skipped (1,
   * which passes) while the primary served fewer than minSamples requests in the window.
   */
  static final String P99_RATIO_QUERY = ratioQuery("0.99");

  /** The same for p95. */
  static final String P95_RATIO_QUERY = ratioQuery("0.95");

  /** The canary's p95 in ms (Flagger's built-in request-duration is p99 only). */
  static final String P95_QUERY =
      "histogram_quantile(0.95, sum(rate(envoy_cluster_upstream_rq_time_bucket{"
          + "envoy_cluster_name=~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
          + " by (le))";

  /**
   * The canary's 5xx rate minus the other revisions' (the primary's), in percentage points; 0
   * (passes) while the primary served fewer than minSamples requests in the window or the canary
   * none, as the local runtime skips it.
   */
  static final String ERROR_EXCESS_QUERY =
      "(100 * (sum(increase(envoy_cluster_upstream_rq{"
          + "envoy_cluster_name=~\"{{ namespace }}/{{ variables.revision }}\","
          + "envoy_response_code=~\"5.*\"}[{{ interval }}])) or on() vector(0))"
          + " / sum(increase(envoy_cluster_upstream_rq{"
          + "envoy_cluster_name=~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
          + " - 100 * (sum(increase(envoy_cluster_upstream_rq{"
          + "envoy_cluster_name=~\"{{ namespace }}/{{ target }}-v[0-9]+\","
          + "envoy_cluster_name!~\"{{ namespace }}/{{ variables.revision }}\","
          + "envoy_response_code=~\"5.*\"}[{{ interval }}])) or on() vector(0))"
          + " / sum(increase(envoy_cluster_upstream_rq{"
          + "envoy_cluster_name=~\"{{ namespace }}/{{ target }}-v[0-9]+\","
          + "envoy_cluster_name!~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
          + " >= {{ variables.minSamples }}))"
          + " and on() (sum(increase(envoy_cluster_upstream_rq{"
          + "envoy_cluster_name=~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
          + " > 0)) or on() vector(0)";

  private static String ratioQuery(String q) {
    return "(histogram_quantile("
        + q
        + ", sum(rate(envoy_cluster_upstream_rq_time_bucket{"
        + "envoy_cluster_name=~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
        + " by (le)) / histogram_quantile("
        + q
        + ", sum(rate(envoy_cluster_upstream_rq_time_bucket{"
        + "envoy_cluster_name=~\"{{ namespace }}/{{ target }}-v[0-9]+\","
        + "envoy_cluster_name!~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
        + " by (le)) and on() (sum(increase(envoy_cluster_upstream_rq{"
        + "envoy_cluster_name=~\"{{ namespace }}/{{ target }}-v[0-9]+\","
        + "envoy_cluster_name!~\"{{ namespace }}/{{ variables.revision }}\"}[{{ interval }}]))"
        + " >= {{ variables.minSamples }})) or on() vector(1)";
  }

  /** The name of the sample-count template of a function. */
  public static String samplesTemplate(String function) {
    return function + "-canary-samples";
  }

  /** The name of the relative-p99 template of a function. */
  public static String p99RatioTemplate(String function) {
    return function + "-canary-p99-ratio";
  }

  /** The name of the relative-p95 template of a function. */
  public static String p95RatioTemplate(String function) {
    return function + "-canary-p95-ratio";
  }

  /** The name of the p95 template of a function. */
  public static String p95Template(String function) {
    return function + "-canary-p95";
  }

  /** The name of the error-rate-excess template of a function. */
  public static String errorExcessTemplate(String function) {
    return function + "-canary-error-rate-excess";
  }

  /**
   * The objects of one alias's rollout: the MetricTemplates it references, then the Canary.
   *
   * @param field the environment file's path of the {@code rollout} block, e.g. {@code
   *     functions.grader.aliases[0].rollout}
   * @param canaryVersion the version Flagger canaries: the revision the Service's template names
   * @param triggers the Kafka triggers that invoke the alias
   */
  public static List<Map<String, Object>> build(
      String namespace,
      String function,
      String alias,
      String field,
      RolloutStrategy strategy,
      int canaryVersion,
      List<TriggerSpec> triggers,
      List<KnativeFinding> findings) {
    List<Integer> weights = stepWeights(field, strategy.steps(), findings);
    long intervalSeconds = intervalSeconds(field, strategy.interval(), findings);
    long threshold = threshold(strategy, intervalSeconds);
    String interval = intervalSeconds + "s";
    // Prometheus needs two scrapes inside a rate() window, and Flagger's Prometheus scrapes every
    // few seconds to tens of seconds: a window below a minute often holds no value at all.
    String window = Math.max(intervalSeconds, MIN_WINDOW_SECONDS) + "s";
    if (intervalSeconds < MIN_WINDOW_SECONDS) {
      findings.add(
          KnativeFinding.warning(
              field + ".interval",
              "checks run every "
                  + interval
                  + ", but each metric is computed over the last "
                  + window
                  + " (Prometheus needs at least two scrapes in a window), so early in a step the"
                  + " window still holds requests of the step before"));
    }
    findings.add(
        KnativeFinding.warning(
            field + ".maxStepTime",
            "Flagger counts failed checks over the whole analysis, not per step, and a check that"
                + " fails is retried like a step short of samples: threshold "
                + threshold
                + " (maxStepTime / interval) means a rollback after "
                + threshold
                + " failed checks, where the local runtime rolls back at the first failed check"));
    if (strategy.onInconclusive() == RolloutStrategy.Inconclusive.HOLD) {
      findings.add(
          KnativeFinding.error(
              field + ".onInconclusive",
              "Flagger cannot hold a step without limit: it rolls back after threshold failed"
                  + " checks; use onInconclusive: rollback on Knative (and a longer maxStepTime)"));
    }
    if (!strategy.approveBefore().isEmpty()) {
      // Never dropped: a rollout Git says a person approves must not move on by itself.
      findings.add(
          KnativeFinding.error(
              field + ".approveBefore",
              "manual approval before a step is not rendered for Flagger yet (it would need a"
                  + " confirm-promotion webhook that a person answers); remove approveBefore on"
                  + " Knative, or roll out on the local runtime"));
    }
    String revision = Names.revision(function, canaryVersion);
    List<Map<String, Object>> metrics = new ArrayList<>();
    List<Map<String, Object>> objects = new ArrayList<>();

    findings.add(
        KnativeFinding.warning(
            field + ".minSamples",
            "Flagger has no sample-count gate: rendered as metric 'samples' (template "
                + samplesTemplate(function)
                + "), at least "
                + strategy.minSamples()
                + " canary requests in the last "
                + window
                + " instead of since the step began; fewer halt the step and count as a failed"
                + " check"));
    metrics.add(
        templated(
            "samples",
            samplesTemplate(function),
            window,
            min(strategy.minSamples()),
            Map.of("revision", revision)));
    objects.add(template(namespace, function, samplesTemplate(function), SAMPLES_QUERY));

    RolloutGates gates = strategy.gates();
    if (gates.maxErrorRate() != null) {
      metrics.add(
          builtIn(
              "request-success-rate",
              window,
              min(BigDecimal.valueOf(100).subtract(gates.maxErrorRate()))));
    }
    Map<String, String> againstPrimary = new TreeMap<>();
    againstPrimary.put("revision", revision);
    againstPrimary.put("minSamples", String.valueOf(strategy.minSamples()));
    if (gates.maxErrorRateExcess() != null) {
      metrics.add(
          templated(
              "error-rate-excess",
              errorExcessTemplate(function),
              window,
              max(RolloutStrategy.plain(gates.maxErrorRateExcess())),
              againstPrimary));
      objects.add(template(namespace, function, errorExcessTemplate(function), ERROR_EXCESS_QUERY));
    }
    if (gates.maxP95() != null) {
      metrics.add(
          templated(
              "p95",
              p95Template(function),
              window,
              max(millis(gates.maxP95())),
              Map.of("revision", revision)));
      objects.add(template(namespace, function, p95Template(function), P95_QUERY));
    }
    if (gates.maxP95Ratio() != null) {
      metrics.add(
          templated(
              "p95-ratio",
              p95RatioTemplate(function),
              window,
              max(RolloutStrategy.plain(gates.maxP95Ratio())),
              againstPrimary));
      objects.add(template(namespace, function, p95RatioTemplate(function), P95_RATIO_QUERY));
    }
    if (gates.maxP99() != null) {
      metrics.add(builtIn("request-duration", window, max(millis(gates.maxP99()))));
    }
    if (gates.maxP99Ratio() != null) {
      metrics.add(
          templated(
              "p99-ratio",
              p99RatioTemplate(function),
              window,
              max(RolloutStrategy.plain(gates.maxP99Ratio())),
              againstPrimary));
      objects.add(template(namespace, function, p99RatioTemplate(function), P99_RATIO_QUERY));
    }
    quantileSamples(field, strategy, findings);
    if (!triggers.isEmpty()) {
      recordChecks(field, gates, triggers, findings);
    }

    Map<String, Object> analysis = new TreeMap<>();
    analysis.put("interval", interval);
    analysis.put("threshold", threshold);
    analysis.put("stepWeights", weights);
    analysis.put("metrics", metrics);

    Map<String, Object> target = new TreeMap<>();
    target.put("apiVersion", Names.SERVING_API);
    target.put("kind", "Service");
    target.put("name", function);

    Map<String, Object> spec = new TreeMap<>();
    spec.put("provider", "knative");
    spec.put("targetRef", target);
    spec.put("analysis", analysis);

    Map<String, Object> canary = new TreeMap<>();
    canary.put("apiVersion", API);
    canary.put("kind", "Canary");
    Map<String, Object> metadata = ServiceManifest.metadata(function, namespace);
    metadata.put("annotations", new TreeMap<>(Map.of(Names.ANN_ALIAS, alias)));
    canary.put("metadata", metadata);
    canary.put("spec", spec);
    objects.add(canary);
    return objects;
  }

  /** What the rendered Canary makes Flagger do, in one sentence for the plan. */
  @SuppressWarnings("unchecked")
  public static String summary(List<Map<String, Object>> objects) {
    Map<String, Object> canary =
        objects.stream().filter(o -> "Canary".equals(o.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> analysis =
        (Map<String, Object>) ((Map<String, Object>) canary.get("spec")).get("analysis");
    List<String> checks = new ArrayList<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) analysis.get("metrics")) {
      Map<String, Object> range = (Map<String, Object>) m.get("thresholdRange");
      range.forEach(
          (bound, value) ->
              checks.add(m.get("name") + (bound.equals("min") ? " >= " : " <= ") + value));
    }
    return "Flagger runs this rollout from the rendered manifests (Argo CD or Flux applies them;"
        + " applying the environment directly to the cluster cannot start it): canary weights "
        + analysis.get("stepWeights")
        + "%, one check every "
        + analysis.get("interval")
        + ", rollback after "
        + analysis.get("threshold")
        + " failed checks; checks "
        + String.join(", ", checks)
        + " (docs/knative.md 2.6)";
  }

  /** Whole percents, increasing: Flagger's step weights are integers. */
  private static List<Integer> stepWeights(
      String field, List<BigDecimal> steps, List<KnativeFinding> findings) {
    List<Integer> weights = new ArrayList<>();
    int previous = 0;
    for (int i = 0; i < steps.size(); i++) {
      BigDecimal step = steps.get(i);
      int percent = Traffic.percent(step);
      String at = field + ".steps[" + i + "]";
      if (percent <= previous) {
        findings.add(
            KnativeFinding.error(
                at,
                "step "
                    + step.toPlainString()
                    + "% rounds to "
                    + percent
                    + "%, not above the step before it ("
                    + previous
                    + "%): Flagger's step weights are whole percents; use whole-percent steps"));
      } else if (BigDecimal.valueOf(percent).compareTo(step) != 0) {
        findings.add(
            KnativeFinding.warning(
                at,
                "Flagger's step weights are whole percents: step "
                    + step.toPlainString()
                    + "% becomes "
                    + percent
                    + "%"));
      }
      weights.add(percent);
      previous = Math.max(previous, percent);
    }
    return weights;
  }

  /** Flagger's interval is whole seconds or minutes ({@code ^[0-9]+(m|s)}). */
  private static long intervalSeconds(
      String field, Duration interval, List<KnativeFinding> findings) {
    long seconds = Math.max(1, (interval.toMillis() + 999) / 1000);
    if (Duration.ofSeconds(seconds).compareTo(interval) != 0) {
      findings.add(
          KnativeFinding.warning(
              field + ".interval",
              "Flagger's interval is whole seconds: "
                  + interval.toMillis()
                  + " ms becomes "
                  + seconds
                  + "s"));
    }
    return seconds;
  }

  /**
   * Failed checks before a rollback: as many checks as fit in {@code maxStepTime}, so that a step
   * short of samples waits about as long as on the local runtime before rolling back.
   */
  static long threshold(RolloutStrategy strategy, long intervalSeconds) {
    long maxStep = strategy.maxStepTime().toSeconds();
    return Math.max(1, (maxStep + intervalSeconds - 1) / intervalSeconds);
  }

  /**
   * The local runtime judges a quantile only on the samples it needs (a p95 400, a p99 2,000);
   * Flagger judges it on whatever the window holds once the samples metric is met, so a minSamples
   * below that is said, never silently weaker.
   */
  private static void quantileSamples(
      String field, RolloutStrategy strategy, List<KnativeFinding> findings) {
    RolloutGates g = strategy.gates();
    Map<String, Object> checks = new java.util.LinkedHashMap<>();
    checks.put("maxP95", g.maxP95());
    checks.put("maxP95Ratio", g.maxP95Ratio());
    checks.put("maxP99", g.maxP99());
    checks.put("maxP99Ratio", g.maxP99Ratio());
    checks.forEach(
        (name, limit) -> {
          double q = name.startsWith("maxP95") ? 0.95 : 0.99;
          long needed = RolloutGates.samplesFor(q, strategy.minSamples());
          if (limit != null && needed > strategy.minSamples()) {
            String quantile = name.substring(3, 6).toLowerCase(java.util.Locale.ROOT);
            findings.add(
                KnativeFinding.warning(
                    field + ".gates." + name,
                    "Flagger judges the "
                        + quantile
                        + " on every check once the window holds minSamples ("
                        + strategy.minSamples()
                        + ") requests, where the local runtime waits for the "
                        + needed
                        + " a "
                        + quantile
                        + " needs (20 beyond it); set minSamples to at least "
                        + needed
                        + " for the same check on Knative"));
          }
        });
  }

  private static void recordChecks(
      String field, RolloutGates gates, List<TriggerSpec> triggers, List<KnativeFinding> findings) {
    List<String> names = triggers.stream().map(TriggerSpec::name).sorted().toList();
    String why =
        " is not measured on Knative (neither the KafkaSource nor fc-host exports per-revision"
            + " dead letters or retries); each delivery of a record from "
            + names
            + " is an HTTP request to the Service and a retry or a dead letter follows a failed"
            + " one, ";
    Map<String, BigDecimal> recordGates = new java.util.LinkedHashMap<>();
    recordGates.put("maxDeadLetterRate", gates.maxDeadLetterRate());
    recordGates.put("maxDeadLetterRateExcess", gates.maxDeadLetterRateExcess());
    recordGates.put("maxRetryRate", gates.maxRetryRate());
    recordGates.put("maxRetryRateExcess", gates.maxRetryRateExcess());
    for (Map.Entry<String, BigDecimal> e : recordGates.entrySet()) {
      String gate = e.getKey();
      BigDecimal limit = e.getValue();
      if (limit == null) {
        continue;
      }
      boolean excess = gate.endsWith("Excess");
      // the check that stands in for it: against the primary for an excess, else the absolute one
      BigDecimal instead = excess ? gates.maxErrorRateExcess() : gates.maxErrorRate();
      String insteadName = excess ? "maxErrorRateExcess" : "maxErrorRate";
      String at = field + ".gates." + gate;
      if (instead == null) {
        findings.add(
            KnativeFinding.error(
                at,
                gate
                    + why
                    + "but no "
                    + insteadName
                    + " is set, so nothing would check them: set gates."
                    + insteadName));
      } else {
        findings.add(
            KnativeFinding.warning(
                at,
                gate
                    + " "
                    + limit.toPlainString()
                    + (excess ? " points" : "%")
                    + why
                    + "so "
                    + (excess ? "error-rate-excess" : "request-success-rate")
                    + " ("
                    + insteadName
                    + " "
                    + instead.toPlainString()
                    + (excess ? " points" : "%")
                    + ") checks failed deliveries instead"));
      }
    }
    findings.add(
        KnativeFinding.warning(
            field,
            "no key affinity on Knative: its router picks a revision per request at random, so"
                + " records of one key from "
                + names
                + " may reach both versions during the rollout (with ordering key or partition,"
                + " a partition's records are still delivered one after the other)"));
  }

  private static Map<String, Object> builtIn(
      String name, String interval, Map<String, Object> range) {
    Map<String, Object> metric = new TreeMap<>();
    metric.put("name", name);
    metric.put("interval", interval);
    metric.put("thresholdRange", range);
    return metric;
  }

  private static Map<String, Object> templated(
      String name,
      String template,
      String interval,
      Map<String, Object> range,
      Map<String, String> variables) {
    Map<String, Object> metric = builtIn(name, interval, range);
    metric.put("templateRef", new TreeMap<>(Map.of("name", template)));
    metric.put("templateVariables", new TreeMap<>(variables));
    return metric;
  }

  private static Map<String, Object> template(
      String namespace, String function, String name, String query) {
    Map<String, Object> provider = new TreeMap<>();
    provider.put("type", "prometheus");
    provider.put("address", PROMETHEUS);
    Map<String, Object> spec = new TreeMap<>();
    spec.put("provider", provider);
    spec.put("query", query);
    Map<String, Object> template = new TreeMap<>();
    template.put("apiVersion", API);
    template.put("kind", "MetricTemplate");
    Map<String, Object> metadata = ServiceManifest.metadata(name, namespace);
    @SuppressWarnings("unchecked")
    Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
    labels.put(Names.LABEL_FUNCTION, function);
    template.put("metadata", metadata);
    template.put("spec", spec);
    return template;
  }

  private static Map<String, Object> min(Object value) {
    return new TreeMap<>(Map.of("min", number(value)));
  }

  private static Map<String, Object> max(Object value) {
    return new TreeMap<>(Map.of("max", number(value)));
  }

  /** Whole numbers as integers, others as plain decimals: YAML shows 99 rather than 99.0. */
  private static Object number(Object value) {
    if (value instanceof BigDecimal d) {
      BigDecimal plain = RolloutStrategy.plain(d);
      return plain.scale() == 0 ? (Object) plain.longValueExact() : plain;
    }
    return value;
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }
}
