package io.fctoolkit.maven.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where each file of the repository's {@code pipelines/} folder goes in a user's project: a table
 * of path prefixes, first match wins, so that whatever the folder holds (new workflows, scripts) is
 * copied without a file list here. GitHub runs workflows only from {@code .github/}, Jenkins finds
 * {@code Jenkinsfile} at the top; everything else (the README, {@code scripts/}) keeps its place
 * under {@code pipelines/}, which is where the workflows and the Jenkinsfile call it from.
 */
public final class PipelineMapping {

  /**
   * One row: files whose path (relative to {@code pipelines/}) starts with {@code from} go to
   * {@code to} plus the rest of their path, for the CI systems listed.
   */
  public record Rule(String from, String to, Set<InitCi> systems) {
    public Rule {
      systems = Set.copyOf(systems);
    }
  }

  /** The table, first match wins; the last row matches every path. */
  public static final List<Rule> RULES =
      List.of(
          new Rule("github/", ".github/", EnumSet.of(InitCi.GITHUB)),
          new Rule("Jenkinsfile", "Jenkinsfile", EnumSet.of(InitCi.JENKINS)),
          new Rule("jenkins/", "pipelines/jenkins/", EnumSet.of(InitCi.JENKINS)),
          new Rule("", "pipelines/", EnumSet.of(InitCi.GITHUB, InitCi.JENKINS)));

  private PipelineMapping() {}

  /**
   * The project path of {@code source} (a path under {@code pipelines/}, '/'-separated) for {@code
   * ci}, or empty when that CI system does not use it.
   */
  public static Optional<String> target(String source, InitCi ci) {
    for (Rule rule : RULES) {
      if (rule.from().equals(source)
          || (rule.from().isEmpty() || rule.from().endsWith("/"))
              && source.startsWith(rule.from())) {
        return rule.systems().contains(ci)
            ? Optional.of(rule.to() + source.substring(rule.from().length()))
            : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
