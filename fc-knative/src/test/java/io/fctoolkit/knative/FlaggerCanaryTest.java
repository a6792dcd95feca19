package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.RolloutStrategy.Inconclusive;
import io.fctoolkit.knative.RenderInput.RenderAlias;
import io.fctoolkit.knative.RenderInput.RenderVersion;
import io.fctoolkit.knative.RenderedManifests.Manifest;
import io.fctoolkit.knative.internal.SortedJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An alias's rollout strategy rendered as Flagger's Canary and MetricTemplates on Knative. */
class FlaggerCanaryTest {

  private static final String AT = "functions.grader.aliases[0].rollout";

  private static RolloutStrategy strategy(
      List<BigDecimal> steps, Inconclusive onInconclusive, RolloutGates gates) {
    return new RolloutStrategy(
        steps, 200, Duration.ofSeconds(30), Duration.ofMinutes(10), onInconclusive, gates);
  }

  private static final RolloutGates ALL =
      new RolloutGates(
          BigDecimal.ONE,
          Duration.ofMillis(500),
          new BigDecimal("1.5"),
          BigDecimal.ONE,
          BigDecimal.TEN);

  private static List<BigDecimal> steps(String... weights) {
    return java.util.Arrays.stream(weights).map(BigDecimal::new).toList();
  }

  private static RenderInput input(
      RolloutStrategy rollout, boolean triggered, RenderAlias... more) {
    List<RenderAlias> aliases = new java.util.ArrayList<>();
    aliases.add(new RenderAlias("prod", AliasTarget.of(2), rollout));
    aliases.addAll(List.of(more));
    return new RenderInput(
        "grader",
        "grader",
        List.of(
            new RenderVersion(1, Grader.image(Grader.DIGEST_1), "2026-12-01.1", Grader.config()),
            new RenderVersion(2, Grader.image(Grader.DIGEST_2), "2026-12-07.1", Grader.config())),
        aliases,
        triggered ? List.of(Grader.submissions("prod")) : List.of(),
        "prod",
        "kafka:9092");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(RenderedManifests r, String kind, String name) {
    Manifest m =
        r.manifests().stream()
            .filter(x -> x.kind().equals(kind) && x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    return SortedJson.read(SortedJson.write(m.object()), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> metrics(RenderedManifests r) {
    Map<String, Object> analysis =
        map(map(object(r, "Canary", "grader").get("spec")).get("analysis"));
    return (List<Map<String, Object>>) analysis.get("metrics");
  }

  private static Map<String, Object> metric(RenderedManifests r, String name) {
    return metrics(r).stream()
        .filter(m -> m.get("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics(r)));
  }

  private static KnativeFinding finding(List<KnativeFinding> findings, String field) {
    return findings.stream()
        .filter(f -> f.field().equals(field))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding at " + field + " in " + findings));
  }

  @Test
  void render_rollout_everyObjectIsValidAgainstItsCrd() {
    RenderedManifests r =
        KnativeRenderer.render(
            input(strategy(steps("5", "25", "50"), Inconclusive.ROLLBACK, ALL), true));

    assertThat(r.manifests())
        .extracting(Manifest::kind)
        .contains("Service", "KafkaSource", "MetricTemplate", "Canary");
    assertThat(r.manifests().get(r.manifests().size() - 1).kind()).isEqualTo("Canary");
    for (Manifest m : r.manifests()) {
      assertThat(
              CrdSchemas.get().validate(SortedJson.read(SortedJson.write(m.object()), Map.class)))
          .as(m.fileName())
          .isEmpty();
    }
  }

  @Test
  void render_rollout_mapsStepsIntervalAndMaxStepTimeToTheAnalysis() {
    RenderedManifests r =
        KnativeRenderer.render(
            input(strategy(steps("5", "25", "50"), Inconclusive.ROLLBACK, ALL), false));

    Map<String, Object> spec = map(object(r, "Canary", "grader").get("spec"));
    assertThat(spec.get("provider")).isEqualTo("knative");
    assertThat(map(spec.get("targetRef")))
        .containsEntry("apiVersion", "serving.knative.dev/v1")
        .containsEntry("kind", "Service")
        .containsEntry("name", "grader");
    Map<String, Object> analysis = map(spec.get("analysis"));
    assertThat(analysis.get("stepWeights")).isEqualTo(List.of(5, 25, 50));
    assertThat(analysis.get("interval")).isEqualTo("30s");
    // 10 min at one check per 30 s.
    assertThat(analysis.get("threshold")).isEqualTo(20);
    assertThat(analysis).doesNotContainKey("maxWeight");
    assertThat(finding(r.findings(), AT + ".maxStepTime").isError()).isFalse();
  }

  @Test
  void render_rollout_mapsEachGateToAMetric() {
    RenderedManifests r =
        KnativeRenderer.render(
            input(strategy(steps("10", "50"), Inconclusive.ROLLBACK, ALL), false));

    assertThat(metric(r, "request-success-rate").get("thresholdRange"))
        .isEqualTo(Map.of("min", 99));
    assertThat(metric(r, "request-duration").get("thresholdRange")).isEqualTo(Map.of("max", 500));
    Map<String, Object> samples = metric(r, "samples");
    assertThat(samples.get("thresholdRange")).isEqualTo(Map.of("min", 200));
    assertThat(samples.get("templateRef")).isEqualTo(Map.of("name", "grader-canary-samples"));
    assertThat(samples.get("templateVariables")).isEqualTo(Map.of("revision", "grader-v2"));
    Map<String, Object> ratio = metric(r, "p99-ratio");
    assertThat(ratio.get("thresholdRange")).isEqualTo(Map.of("max", 1.5));
    assertThat(ratio.get("templateVariables"))
        .isEqualTo(Map.of("revision", "grader-v2", "minSamples", "200"));
    // Checks every 30 s, each over the last minute: Prometheus needs two scrapes in a window.
    assertThat(metrics(r)).allSatisfy(m -> assertThat(m.get("interval")).isEqualTo("60s"));
    assertThat(finding(r.findings(), AT + ".interval").message())
        .contains("checks run every 30s", "over the last 60s");

    Map<String, Object> template =
        map(object(r, "MetricTemplate", "grader-canary-p99-ratio").get("spec"));
    assertThat(map(template.get("provider")))
        .containsEntry("type", "prometheus")
        .containsEntry("address", "http://flagger-prometheus.flagger-system:9090");
    assertThat((String) template.get("query"))
        .contains(
            "{{ variables.revision }}", "{{ variables.minSamples }}", "histogram_quantile(0.99");
    assertThat(finding(r.findings(), AT + ".minSamples").message())
        .contains("no sample-count gate");
  }

  @Test
  void render_rolloutWithoutLatencyGates_rendersNoLatencyMetric() {
    RenderedManifests r =
        KnativeRenderer.render(
            input(strategy(steps("10"), Inconclusive.ROLLBACK, RolloutGates.DEFAULT), false));

    assertThat(metrics(r))
        .extracting(m -> m.get("name"))
        .containsExactly("samples", "request-success-rate");
    assertThat(r.manifests()).extracting(Manifest::name).doesNotContain("grader-canary-p99-ratio");
  }

  @Test
  void render_rollout_leavesTheTrafficBlockToFlaggerAndTemplatesTheAliasRelease() {
    RenderedManifests r =
        KnativeRenderer.render(input(strategy(steps("10"), Inconclusive.ROLLBACK, ALL), false));

    Map<String, Object> spec = map(object(r, "Service", "grader").get("spec"));
    assertThat(spec).doesNotContainKey("traffic");
    assertThat(map(map(spec.get("template")).get("metadata")).get("name")).isEqualTo("grader-v2");
  }

  @Test
  void render_rolloutOfAnOlderRelease_templatesItAndWarns() {
    RenderInput older =
        new RenderInput(
            "grader",
            "grader",
            List.of(
                new RenderVersion(1, Grader.image(Grader.DIGEST_1), "a", Grader.config()),
                new RenderVersion(2, Grader.image(Grader.DIGEST_2), "b", Grader.config())),
            List.of(
                new RenderAlias(
                    "prod",
                    AliasTarget.of(1),
                    strategy(steps("10"), Inconclusive.ROLLBACK, RolloutGates.DEFAULT))),
            List.of(),
            "prod",
            null);

    RenderedManifests r = KnativeRenderer.render(older);

    Map<String, Object> spec = map(object(r, "Service", "grader").get("spec"));
    assertThat(map(map(spec.get("template")).get("metadata")).get("name")).isEqualTo("grader-v1");
    assertThat(finding(r.findings(), AT).message()).contains("not the newest grader-v2");
  }

  @Test
  void render_recordGatesOnATriggeredAlias_warnAtTheirFieldsAndNameTheProxy() {
    RenderedManifests r =
        KnativeRenderer.render(input(strategy(steps("10"), Inconclusive.ROLLBACK, ALL), true));

    KnativeFinding deadLetters = finding(r.findings(), AT + ".gates.maxDeadLetterRate");
    assertThat(deadLetters.isError()).isFalse();
    assertThat(deadLetters.message()).contains("not measured on Knative", "maxErrorRate 1%");
    assertThat(finding(r.findings(), AT + ".gates.maxRetryRate").isError()).isFalse();
    assertThat(finding(r.findings(), AT).message()).contains("no key affinity", "[submissions]");
  }

  @Test
  void render_recordGatesWithoutErrorRate_isRefusedAtTheGate() {
    RolloutGates noErrorRate = new RolloutGates(null, null, null, BigDecimal.ONE, null);

    assertThatThrownBy(
            () ->
                KnativeRenderer.render(
                    input(strategy(steps("10"), Inconclusive.ROLLBACK, noErrorRate), true)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining(AT + ".gates.maxDeadLetterRate")
        .hasMessageContaining("set gates.maxErrorRate");
  }

  @Test
  void render_recordGatesWithoutTrigger_areNotMentioned() {
    RenderedManifests r =
        KnativeRenderer.render(input(strategy(steps("10"), Inconclusive.ROLLBACK, ALL), false));

    assertThat(r.findings())
        .extracting(KnativeFinding::field)
        .doesNotContain(AT + ".gates.maxDeadLetterRate", AT + ".gates.maxRetryRate", AT);
  }

  @Test
  void render_onInconclusiveHold_isRefusedAtItsField() {
    assertThatThrownBy(
            () ->
                KnativeRenderer.render(
                    input(strategy(steps("10"), Inconclusive.HOLD, RolloutGates.DEFAULT), false)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining(AT + ".onInconclusive");
  }

  @Test
  void render_approveBefore_isRefusedAtItsField_neverDropped() {
    RolloutStrategy base = strategy(steps("10", "50"), Inconclusive.ROLLBACK, RolloutGates.DEFAULT);
    RolloutStrategy approved =
        new RolloutStrategy(
            base.steps(),
            base.minSamples(),
            base.interval(),
            base.maxStepTime(),
            base.onInconclusive(),
            base.gates(),
            List.of(3));
    assertThatThrownBy(() -> KnativeRenderer.render(input(approved, false)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining(AT + ".approveBefore");
  }

  @Test
  void render_decimalSteps_roundWithAWarningOrAreRefusedWhenTheyCollide() {
    RenderedManifests r =
        KnativeRenderer.render(
            input(
                strategy(steps("2.5", "50"), Inconclusive.ROLLBACK, RolloutGates.DEFAULT), false));
    assertThat(finding(r.findings(), AT + ".steps[0]").message()).contains("2.5% becomes 3%");

    assertThatThrownBy(
            () ->
                KnativeRenderer.render(
                    input(
                        strategy(steps("10", "10.2"), Inconclusive.ROLLBACK, RolloutGates.DEFAULT),
                        false)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining(AT + ".steps[1]");
  }

  @Test
  void render_subSecondInterval_roundsUpWithAWarning() {
    RolloutStrategy s =
        new RolloutStrategy(
            steps("10"),
            100,
            Duration.ofMillis(1500),
            Duration.ofSeconds(30),
            Inconclusive.ROLLBACK,
            RolloutGates.DEFAULT);

    RenderedManifests r = KnativeRenderer.render(input(s, false));

    assertThat(map(map(object(r, "Canary", "grader").get("spec")).get("analysis")).get("interval"))
        .isEqualTo("2s");
    assertThat(finding(r.findings(), AT + ".interval").message()).contains("1500 ms becomes 2s");
  }

  @Test
  void render_rolloutNextToAnotherAlias_isRefused() {
    assertThatThrownBy(
            () ->
                KnativeRenderer.render(
                    input(
                        strategy(steps("10"), Inconclusive.ROLLBACK, RolloutGates.DEFAULT),
                        false,
                        new RenderAlias("staging", AliasTarget.of(1)))))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining(AT)
        .hasMessageContaining("[staging]");
  }

  /**
   * Every field of the strategy has a decided mapping (docs/knative.md 2.6): a field added to the
   * model fails here until the renderer maps it or reports it, so none is dropped silently.
   */
  @Test
  void everyStrategyField_hasADecidedMapping() {
    assertThat(RolloutStrategy.class.getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .containsExactlyInAnyOrder(
            "steps",
            "minSamples",
            "interval",
            "maxStepTime",
            "onInconclusive",
            "gates",
            "approveBefore");
    assertThat(RolloutGates.class.getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .containsExactlyInAnyOrder(
            "maxErrorRate",
            "maxP99",
            "maxP99Ratio",
            "maxDeadLetterRate",
            "maxRetryRate",
            "maxP95",
            "maxP95Ratio",
            "maxErrorRateExcess",
            "maxDeadLetterRateExcess",
            "maxRetryRateExcess");
  }

  @Test
  void render_quantileChecks_onFewerSamplesThanTheQuantileNeeds_areWarnings() {
    // minSamples 200: a p95 needs 400 and a p99 2,000 locally; Flagger judges them on 200
    RolloutGates gates = ALL.toBuilder().maxP95Ratio(new BigDecimal("1.5")).build();
    RenderedManifests r =
        KnativeRenderer.render(input(strategy(steps("10"), Inconclusive.ROLLBACK, gates), false));

    KnativeFinding p95 = finding(r.findings(), AT + ".gates.maxP95Ratio");
    assertThat(p95.isError()).isFalse();
    assertThat(p95.message()).contains("waits for the 400").contains("at least 400");
    assertThat(finding(r.findings(), AT + ".gates.maxP99").message()).contains("2000");
    assertThat(r.findings()).extracting(KnativeFinding::field).doesNotContain(AT + ".gates.maxP95");
  }

  @Test
  void render_p95AndExcessChecks_becomeTemplates_andRecordExcessesAreFindings() {
    RolloutGates gates =
        ALL.toBuilder()
            .maxP95(Duration.ofMillis(200))
            .maxP95Ratio(new BigDecimal("1.5"))
            .maxErrorRateExcess(new BigDecimal("0.5"))
            .maxDeadLetterRateExcess(new BigDecimal("0.5"))
            .maxRetryRateExcess(BigDecimal.valueOf(5))
            .build();
    RenderInput in = input(strategy(steps("10", "50"), Inconclusive.ROLLBACK, gates), true);
    RenderedManifests r = KnativeRenderer.render(in);

    assertThat(map(metric(r, "p95").get("thresholdRange"))).containsEntry("max", 200);
    assertThat(map(metric(r, "p95-ratio").get("thresholdRange"))).containsEntry("max", 1.5);
    assertThat(map(metric(r, "p95-ratio").get("templateRef")))
        .containsEntry("name", "grader-canary-p95-ratio");
    assertThat(map(metric(r, "error-rate-excess").get("thresholdRange"))).containsEntry("max", 0.5);
    assertThat(map(metric(r, "error-rate-excess").get("templateVariables")))
        .containsEntry("minSamples", "200");
    Map<String, Object> p95 = object(r, "MetricTemplate", "grader-canary-p95");
    assertThat((String) map(p95.get("spec")).get("query")).contains("histogram_quantile(0.95,");
    Map<String, Object> ratio = object(r, "MetricTemplate", "grader-canary-p95-ratio");
    assertThat((String) map(ratio.get("spec")).get("query"))
        .contains("histogram_quantile(0.95,")
        .contains(">= {{ variables.minSamples }}");
    Map<String, Object> excess = object(r, "MetricTemplate", "grader-canary-error-rate-excess");
    assertThat((String) map(excess.get("spec")).get("query"))
        .contains("envoy_response_code=~\"5.*\"")
        .endsWith("or on() vector(0)");
    for (Manifest m : r.manifests()) {
      assertThat(
              CrdSchemas.get().validate(SortedJson.read(SortedJson.write(m.object()), Map.class)))
          .as(m.fileName())
          .isEmpty();
    }
    // the record excesses are not measured on Knative: said, with the check that stands in
    KnativeFinding dead = finding(r.findings(), AT + ".gates.maxDeadLetterRateExcess");
    assertThat(dead.isError()).isFalse();
    assertThat(dead.message()).contains("error-rate-excess (maxErrorRateExcess 0.5 points)");
    // without an error-rate excess nothing would check them: an error, never dropped
    RolloutGates noExcess = gates.toBuilder().maxErrorRateExcess(null).build();
    assertThatThrownBy(
            () ->
                KnativeRenderer.render(
                    input(strategy(steps("10", "50"), Inconclusive.ROLLBACK, noExcess), true)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining(AT + ".gates.maxRetryRateExcess")
        .hasMessageContaining("set gates.maxErrorRateExcess");
  }

  @Test
  void flaggerCrd_rejectsWhatFlaggerWouldRefuse() {
    RenderedManifests r =
        KnativeRenderer.render(input(strategy(steps("10"), Inconclusive.ROLLBACK, ALL), false));
    Map<String, Object> canary = object(r, "Canary", "grader");
    Map<String, Object> analysis = map(map(canary.get("spec")).get("analysis"));

    analysis.put("interval", "thirty");
    assertThat(CrdSchemas.get().validate(canary))
        .anySatisfy(e -> assertThat(e).contains("interval"));
    analysis.put("interval", "30s");
    analysis.remove("stepWeights");
    assertThat(CrdSchemas.get().validate(canary)).isNotEmpty();
    analysis.put("stepWeights", List.of(10));
    map(canary.get("spec")).put("provider", "knatve");
    assertThat(CrdSchemas.get().validate(canary))
        .anySatisfy(e -> assertThat(e).contains("provider"));

    Map<String, Object> template = object(r, "MetricTemplate", "grader-canary-samples");
    map(template.get("spec")).remove("query");
    assertThat(CrdSchemas.get().validate(template))
        .anySatisfy(e -> assertThat(e).contains("query"));
  }
}
