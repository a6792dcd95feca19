package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.runtime.kafka.ExportedTriggerMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * gitops/observability: the Prometheus rules pass promtool's check and unit tests, and every metric
 * name the rules and the Grafana dashboard query is one the runtime's Prometheus text exports, one
 * the rules record, or one the README lists with where it comes from (Knative, KafkaSource).
 * promtool comes from Debian's {@code prometheus} package, which run-tests.sh installs: without it
 * this test fails.
 */
class ObservabilityRulesTest {
  static final Path DIR = Path.of("..", "gitops", "observability");
  static final Path RULES = DIR.resolve("fc-rules.yaml");
  static final Path DASHBOARD = DIR.resolve("fc-function-dashboard.json");
  static final Path README = DIR.resolve("README.md");

  /** Knative has no per-revision count of pod starts (README, "Two sources"). */
  static final Set<String> LOCAL_ONLY = Set.of("function_version:fc_cold_starts:increase1m");

  /** Operators and aggregations: "sum by (x) (...)" puts no parenthesis right after "sum". */
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile");

  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  @Test
  void promtool_checksTheRules() throws Exception {
    String out = promtool("check", "rules", RULES.toString());
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void promtool_unitTestsOfTheAlertsPass() throws Exception {
    String out = promtool("test", "rules", DIR.resolve("tests/fc-rules-test.yaml").toString());
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void rules_useOnlyExportedOrDocumentedMetrics() throws Exception {
    Set<String> known = new TreeSet<>(exportedByTheRuntime());
    known.addAll(documentedExternal());
    List<String> unknown = new ArrayList<>();
    Set<String> usedExternal = new TreeSet<>();
    for (Map<String, Object> rule : rules()) {
      for (String name : metricNames((String) rule.get("expr"))) {
        if (known.contains(name)) {
          usedExternal.add(name);
        } else {
          unknown.add(name + " (in " + ruleName(rule) + ")");
        }
      }
      if (rule.containsKey("record")) {
        known.add((String) rule.get("record")); // later rules may build on it
      }
    }
    assertThat(unknown)
        .as("metric names in %s that neither the runtime exports nor %s lists", RULES, README)
        .isEmpty();
    Set<String> unusedDocumented = new TreeSet<>(documentedExternal());
    unusedDocumented.removeAll(usedExternal);
    unusedDocumented.remove("ALERTS"); // the dashboard's annotations use it
    assertThat(unusedDocumented).as("metrics %s lists that no rule uses", README).isEmpty();
  }

  @Test
  void dashboard_queriesOnlyRecordedExportedOrDocumentedMetrics() throws Exception {
    Set<String> known = new TreeSet<>(exportedByTheRuntime());
    known.addAll(documentedExternal());
    known.addAll(recorded(null));
    List<String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThan(10);
    List<String> unknown = new ArrayList<>();
    for (String query : queries) {
      for (String name : metricNames(query)) {
        if (!known.contains(name)) {
          unknown.add(name + " (in " + query + ")");
        }
      }
    }
    assertThat(unknown)
        .as("metric names in %s that nothing exports or records", DASHBOARD)
        .isEmpty();
  }

  @Test
  void dashboard_showsTheSameSeriesFromTheLocalRuntimeAndFromKnative() throws Exception {
    Set<String> used = new TreeSet<>();
    for (String query : dashboardQueries()) {
      used.addAll(metricNames(query));
    }
    Set<String> local = recorded("fc-local-runtime");
    Set<String> knative = recorded("fc-knative");
    for (String name : used) {
      if (name.contains(":")) {
        assertThat(local).as("recorded from the local runtime").contains(name);
        if (!LOCAL_ONLY.contains(name)) {
          assertThat(knative).as("recorded from Knative").contains(name);
        }
      }
    }
    assertThat(used).contains("trigger_partition:fc_trigger_lag:max", "ALERTS");
  }

  @Test
  void metricNames_skipFunctionsLabelsStringsRangesAndKeywords() {
    assertThat(
            metricNames(
                "histogram_quantile(0.95, sum by (function, le) (label_replace(max without (p) ("
                    + "rate(x_bucket{a=\"b\",c=~\"$v\"}[$__rate_interval] offset 5m)),"
                    + " \"f\", \"$1\", \"s\", \"(.+)\"))) / 1000"
                    + " and on (ns) group_left y:z:rate1m > bool 1"))
        .containsExactly("x_bucket", "y:z:rate1m");
    assertThat(metricNames("label_values(fc_instances, function)")).containsExactly("fc_instances");
  }

  @Test
  void exportedNames_comeFromTheRuntimesPrometheusText() {
    assertThat(exportedByTheRuntime())
        .contains(
            "fc_invocations_total",
            "fc_request_duration_seconds_bucket",
            "fc_trigger_lag",
            "fc_trigger_dead_letters_total")
        .doesNotContain("fc_request_duration_seconds", "fc_invocation_total");
  }

  /** Metric names of a PromQL query (or Grafana's {@code label_values(metric, label)}). */
  static Set<String> metricNames(String query) {
    String s = query.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\""); // label values, regexes
    s = s.replaceAll("\\{[^}]*}", " "); // label matchers
    s = s.replaceAll("\\[[^]]*]", " "); // ranges
    s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "$1 ");
    s = s.replaceAll("label_values\\(\\s*([^,)]+),[^)]*\\)", "$1");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String name = m.group(1);
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }

  /** The names the runtime's GET /metrics can answer: its families, histograms as 3 series. */
  static Set<String> exportedByTheRuntime() {
    StringBuilder text = new StringBuilder();
    RuntimeMetrics.render(text, RuntimeMetrics.VERSION_FAMILIES, List.of());
    RuntimeMetrics.render(text, RuntimeMetrics.ALIAS_FAMILIES, List.of());
    text.append(ExportedTriggerMetrics.families());
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(text);
    while (m.find()) {
      if (m.group(2).equals("histogram")) {
        names.add(m.group(1) + "_bucket");
        names.add(m.group(1) + "_sum");
        names.add(m.group(1) + "_count");
      } else {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The first column of the README's table of metrics from outside fc-toolkit. */
  static Set<String> documentedExternal() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int table = readme.indexOf("## Metrics used from outside fc-toolkit");
    assertThat(table).as("%s has the section of outside metrics", README).isNotNegative();
    Set<String> names = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\| `([a-zA-Z_:][a-zA-Z0-9_:]*)` \\|([^|]+)\\|([^|]+)\\|$")
            .matcher(readme.substring(table));
    while (m.find()) {
      assertThat(m.group(3).strip()).as("the source of %s", m.group(1)).isNotEmpty();
      names.add(m.group(1));
    }
    assertThat(names).hasSizeGreaterThan(5);
    return names;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() throws IOException {
    List<Map<String, Object>> all = new ArrayList<>();
    for (Map<String, Object> group : groups()) {
      for (Object rule : (List<Object>) group.get("rules")) {
        Map<String, Object> r = new LinkedHashMap<>((Map<String, Object>) rule);
        r.put("group", group.get("name"));
        all.add(r);
      }
    }
    return all;
  }

  /** The names a group (or, for null, any group) records. */
  static Set<String> recorded(String group) throws IOException {
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> rule : rules()) {
      if (rule.containsKey("record") && (group == null || group.equals(rule.get("group")))) {
        names.add((String) rule.get("record"));
      }
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> groups() throws IOException {
    Object doc =
        new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(RULES, StandardCharsets.UTF_8));
    return (List<Map<String, Object>>) ((Map<String, Object>) doc).get("groups");
  }

  private static String ruleName(Map<String, Object> rule) {
    return rule.containsKey("record")
        ? "record " + rule.get("record")
        : "alert " + rule.get("alert");
  }

  /** Every query of the dashboard: panel targets, annotations and template variables. */
  static List<String> dashboardQueries() throws IOException {
    JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : root.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
    }
    for (JsonNode annotation : root.path("annotations").path("list")) {
      if (annotation.has("expr")) {
        queries.add(annotation.path("expr").asText());
      }
    }
    for (JsonNode variable : root.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queries.add(variable.path("query").path("query").asText());
      }
    }
    queries.forEach(q -> assertThat(q).as("a query of %s", DASHBOARD).isNotBlank());
    return queries;
  }

  /** Runs promtool; fails (never skips) when it is missing: run-tests.sh installs it. */
  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail(
          "promtool is not installed: run ./run-tests.sh (it installs Debian's prometheus package)"
              + " or apt-get install prometheus; "
              + e.getMessage());
      return "";
    }
    try {
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
      assertThat(process.exitValue()).as("promtool %s:%n%s", command, out).isZero();
      return out;
    } finally {
      process.destroyForcibly();
    }
  }
}
