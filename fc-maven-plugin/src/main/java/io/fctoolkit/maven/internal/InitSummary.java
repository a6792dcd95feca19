package io.fctoolkit.maven.internal;

import java.util.ArrayList;
import java.util.List;

/** The lines {@code fc:init} prints: each file and what happened to it, then what to do next. */
public final class InitSummary {

  private InitSummary() {}

  public static List<String> lines(List<InitWriter.Entry> entries, InitCi ci, String function) {
    List<String> lines = new ArrayList<>();
    boolean kept = false;
    for (InitWriter.Entry entry : entries) {
      String what =
          switch (entry.outcome()) {
            case WRITTEN -> "written    ";
            case OVERWRITTEN -> "OVERWRITTEN";
            case UNCHANGED -> "unchanged  ";
            case KEPT -> "exists, kept; -Dfc.init.force to overwrite:";
          };
      kept |= entry.outcome() == InitWriter.Outcome.KEPT;
      lines.add(what + " " + entry.path());
    }
    lines.add("");
    lines.add("Next:");
    lines.add(
        "  1. Set the kube context, namespace and Kafka cluster of prod in"
            + " gitops/environments/prod/environment.yaml.");
    lines.add(
        "  2. Review and commit: git add gitops"
            + switch (ci) {
              case GITHUB -> " .github pipelines";
              case JENKINS -> " Jenkinsfile pipelines";
              case NONE -> "";
            }
            + " && git commit -m 'ci: fc-toolkit gitops and pipelines'");
    if (ci != InitCi.NONE) {
      lines.add(
          "  3. Set the secrets, "
              + (ci == InitCi.GITHUB
                  ? "GitHub environments and protection rules"
                  : "Jenkins credentials and plugins")
              + " that pipelines/README.md lists.");
    }
    lines.add(
        "  "
            + (ci == InitCi.NONE ? 3 : 4)
            + ". Try the inner loop: mvn package fc:deploy, then mvn fc:invoke -Dfc.function="
            + function
            + ".");
    if (kept) {
      lines.add(
          "Files that exist were kept: compare them with what fc:init writes (-Dfc.init.force=true"
              + " overwrites them; commit or stash first).");
    }
    return lines;
  }
}
