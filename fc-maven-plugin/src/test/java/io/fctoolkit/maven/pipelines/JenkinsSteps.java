package io.fctoolkit.maven.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sh} steps of a Jenkinsfile, extracted as Jenkins would run them: a single-quoted
 * Groovy string as it is, a double-quoted one with its {@code ${...}} interpolated from the
 * variables the caller gives (what the pipeline's Groovy computes), then run with {@code dash -c}:
 * Jenkins' {@code sh} runs {@code /bin/sh}, which is dash on Debian and Ubuntu agents.
 */
final class JenkinsSteps {

  /** One {@code sh} step: its line, whether Groovy interpolates it, its script as written. */
  record ShStep(int line, boolean interpolated, String template) {}

  /** What running a step gave. */
  record Result(String script, int exitCode, String stdout, String stderr) {}

  private static final Pattern SH =
      Pattern.compile(
          "\\bsh\\s*\\(?\\s*(?:(?:returnStdout|returnStatus)\\s*:\\s*true\\s*,\\s*script\\s*:\\s*)?"
              + "(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\")");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([^}]*)}");

  private JenkinsSteps() {}

  /** Every {@code sh} step of the file, in file order. */
  static List<ShStep> extract(Path jenkinsfile) throws IOException {
    String text = Files.readString(jenkinsfile);
    List<ShStep> steps = new ArrayList<>();
    Matcher m = SH.matcher(text);
    while (m.find()) {
      int line = text.substring(0, m.start()).split("\n", -1).length;
      boolean interpolated = m.group(2) != null;
      steps.add(new ShStep(line, interpolated, interpolated ? m.group(2) : m.group(1)));
    }
    return steps;
  }

  /** The one step whose script contains {@code fragment} (there must be exactly one). */
  static ShStep find(List<ShStep> steps, String fragment) {
    List<ShStep> found = steps.stream().filter(s -> s.template().contains(fragment)).toList();
    if (found.isEmpty()) {
      throw new AssertionError("no sh step contains '" + fragment + "'");
    }
    return found.get(0);
  }

  /** The shell script Jenkins hands to sh: Groovy escapes undone, ${...} interpolated. */
  static String render(ShStep step, Map<String, String> groovy) {
    String text = step.template();
    if (step.interpolated()) {
      Matcher m = INTERPOLATION.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        // \${ is an escaped dollar for the shell, not Groovy's.
        if (m.start() > 0 && text.charAt(m.start() - 1) == '\\') {
          m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
          continue;
        }
        String value = groovy.get(m.group(1).trim());
        if (value == null) {
          throw new AssertionError(
              "line "
                  + step.line()
                  + " interpolates ${"
                  + m.group(1)
                  + "}, which the test does not set");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      text = out.toString();
    }
    StringBuilder unescaped = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        unescaped.append(text.charAt(++i));
      } else {
        unescaped.append(c);
      }
    }
    return unescaped.toString();
  }

  /** Runs the script with {@code dash -c} in {@code dir} with exactly {@code env}. */
  static Result dash(String script, Path dir, Map<String, String> env)
      throws IOException, InterruptedException {
    return run(List.of("dash", "-c", script), script, dir, env);
  }

  /** Parses the script with {@code dash -n} (no execution): a bash-ism fails here. */
  static Result dashParse(String script, Path dir) throws IOException, InterruptedException {
    return run(List.of("dash", "-n", "-c", script), script, dir, Map.of("PATH", "/usr/bin:/bin"));
  }

  private static Result run(List<String> command, String script, Path dir, Map<String, String> env)
      throws IOException, InterruptedException {
    Shell.Result r = Shell.run(dir, env, command);
    return new Result(script, r.exitCode(), r.stdout(), r.stderr());
  }
}
