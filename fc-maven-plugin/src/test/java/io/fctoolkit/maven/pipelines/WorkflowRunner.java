package io.fctoolkit.maven.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs a GitHub Actions workflow's jobs for tests the way a hosted runner runs them: the steps of a
 * job in the order the workflow gives, each {@code run:} block with {@code bash --noprofile --norc
 * -eo pipefail} in the job's workspace, with the step's and job's {@code env:} evaluated from the
 * contexts, {@code if:} conditions, and {@code GITHUB_OUTPUT}, {@code GITHUB_ENV} and {@code
 * GITHUB_STEP_SUMMARY} files read back after each step. {@code uses:} steps are not run: the caller
 * prepares what they would (the checkout is the workspace; Java and Maven are on the machine). The
 * workflow is parsed with snakeyaml-engine, the project's YAML library.
 */
final class WorkflowRunner {

  /** What one step did. */
  record Step(String name, String outcome, int exitCode, String log) {}

  /** What a job did: its steps, its outputs (evaluated) and whether it succeeded. */
  record Job(String name, List<Step> steps, Map<String, Object> outputs, boolean succeeded) {
    Step step(String name) {
      return steps.stream()
          .filter(s -> s.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no step '" + name + "' in " + steps));
    }

    String log() {
      StringBuilder all = new StringBuilder();
      for (Step s : steps) {
        all.append("== ").append(s.name()).append(" (").append(s.outcome()).append(")\n");
        all.append(s.log());
      }
      return all.toString();
    }
  }

  private final Path workflow;
  private final Map<String, Object> yaml;

  @SuppressWarnings("unchecked")
  WorkflowRunner(Path workflow) throws IOException {
    this.workflow = workflow;
    this.yaml =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(Files.readString(workflow));
  }

  Map<String, Object> yaml() {
    return yaml;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> job(String name) {
    Map<String, Object> job =
        (Map<String, Object>) ((Map<String, Object>) yaml.get("jobs")).get(name);
    if (job == null) {
      throw new AssertionError(workflow + " has no job " + name);
    }
    return job;
  }

  /** The matrix values of {@code env} a job's strategy gives with these contexts. */
  @SuppressWarnings("unchecked")
  List<Object> matrix(String jobName, String key, Map<String, Object> contexts) {
    Map<String, Object> strategy = (Map<String, Object>) job(jobName).get("strategy");
    Object values = ((Map<String, Object>) strategy.get("matrix")).get(key);
    Object evaluated =
        values instanceof String s ? new Expressions(contexts, false).value(s) : values;
    return (List<Object>) evaluated;
  }

  /** Whether the job's own {@code if:} lets it run with these contexts. */
  boolean jobRuns(String jobName, Map<String, Object> contexts) {
    Object condition = job(jobName).get("if");
    return condition == null || new Expressions(contexts, false).condition(condition.toString());
  }

  /**
   * Runs one job.
   *
   * @param contexts github, inputs, secrets, vars, needs and matrix as the run would have them
   * @param workspace the checkout (GITHUB_WORKSPACE, the steps' folder)
   * @param baseEnv the machine's environment for the steps (PATH, HOME, ...)
   */
  @SuppressWarnings("unchecked")
  Job run(String jobName, Map<String, Object> contexts, Path workspace, Map<String, String> baseEnv)
      throws IOException, InterruptedException {
    Map<String, Object> job = job(jobName);
    Path temp = Files.createTempDirectory(workspace.getParent(), "runner-temp-");
    Map<String, Object> ctx = new LinkedHashMap<>(contexts);
    Map<String, Object> steps = new LinkedHashMap<>();
    ctx.put("steps", steps);
    ctx.put("runner", Map.of("temp", temp.toString(), "os", "Linux"));
    Map<String, String> jobEnv = new LinkedHashMap<>(baseEnv);
    evaluateEnv((Map<String, Object>) yaml.get("env"), new Expressions(ctx, false), jobEnv);
    evaluateEnv((Map<String, Object>) job.get("env"), new Expressions(ctx, false), jobEnv);
    List<Step> done = new ArrayList<>();
    boolean failed = false;
    int index = 0;
    for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
      index++;
      String name =
          String.valueOf(step.getOrDefault("name", step.getOrDefault("uses", "step " + index)));
      Expressions expressions = new Expressions(ctx, failed);
      Object condition = step.get("if");
      boolean runs = condition == null ? !failed : expressions.condition(condition.toString());
      String id = (String) step.get("id");
      if (!runs) {
        done.add(new Step(name, "skipped", 0, ""));
        record(steps, id, "skipped", Map.of());
        continue;
      }
      if (step.containsKey("uses")) {
        done.add(new Step(name, "success", 0, "(uses: prepared by the test)\n"));
        record(steps, id, "success", Map.of());
        continue;
      }
      Map<String, String> env = new LinkedHashMap<>(jobEnv);
      evaluateEnv((Map<String, Object>) step.get("env"), expressions, env);
      Path output = Files.createTempFile(temp, "output-", "");
      Path envFile = Files.createTempFile(temp, "env-", "");
      Path summary = Files.createTempFile(temp, "summary-", "");
      Path script = Files.createTempFile(temp, "step-", ".sh");
      // A run: block never holds ${{ }} here (the scripts read env:), but interpolate as GitHub
      // does.
      Files.writeString(script, expressions.interpolate((String) step.get("run")));
      env.putAll(githubEnv(ctx, workspace, temp));
      env.put("GITHUB_OUTPUT", output.toString());
      env.put("GITHUB_ENV", envFile.toString());
      env.put("GITHUB_STEP_SUMMARY", summary.toString());
      ProcessBuilder pb =
          new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
              .directory(workspace.toFile())
              .redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process process = pb.start();
      process.getOutputStream().close();
      byte[] bytes = process.getInputStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(name + " did not finish within 10 minutes");
      }
      int exit = process.exitValue();
      String log = new String(bytes, StandardCharsets.UTF_8);
      String outcome = exit == 0 ? "success" : "failure";
      failed |= exit != 0;
      done.add(new Step(name, outcome, exit, log));
      record(steps, id, outcome, keyValues(output));
      jobEnv.putAll(keyValues(envFile));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    Map<String, Object> declared = (Map<String, Object>) job.get("outputs");
    if (declared != null) {
      Expressions expressions = new Expressions(ctx, failed);
      declared.forEach((k, v) -> outputs.put(k, expressions.interpolate(String.valueOf(v))));
    }
    return new Job(jobName, done, outputs, !failed);
  }

  private static void record(
      Map<String, Object> steps, String id, String outcome, Map<String, String> outputs) {
    if (id != null) {
      steps.put(id, Map.of("outcome", outcome, "conclusion", outcome, "outputs", outputs));
    }
  }

  private static void evaluateEnv(
      Map<String, Object> declared, Expressions expressions, Map<String, String> into) {
    if (declared != null) {
      declared.forEach((k, v) -> into.put(k, expressions.interpolate(String.valueOf(v))));
    }
  }

  /** The default variables a runner sets from the github context. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> githubEnv(Map<String, Object> ctx, Path workspace, Path temp) {
    Map<String, Object> github = (Map<String, Object>) ctx.getOrDefault("github", Map.of());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CI", "true");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("RUNNER_TEMP", temp.toString());
    for (String key :
        List.of(
            "repository", "repository_owner", "sha", "ref", "ref_name", "actor", "event_name")) {
      Object value = github.get(key);
      if (value != null) {
        env.put("GITHUB_" + key.toUpperCase(java.util.Locale.ROOT), value.toString());
      }
    }
    return env;
  }

  /** name=value lines and name<<DELIMITER blocks, as GitHub reads GITHUB_OUTPUT and GITHUB_ENV. */
  static Map<String, String> keyValues(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int heredoc = line.indexOf("<<");
      int equals = line.indexOf('=');
      if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
        String name = line.substring(0, heredoc);
        String delimiter = line.substring(heredoc + 2);
        StringBuilder value = new StringBuilder();
        while (++i < lines.size() && !lines.get(i).equals(delimiter)) {
          value.append(value.length() == 0 ? "" : "\n").append(lines.get(i));
        }
        values.put(name, value.toString());
      } else if (equals > 0) {
        values.put(line.substring(0, equals), line.substring(equals + 1));
      } else if (!line.isBlank()) {
        throw new AssertionError("not a name=value line in " + file + ": " + line);
      }
    }
    return values;
  }
}
