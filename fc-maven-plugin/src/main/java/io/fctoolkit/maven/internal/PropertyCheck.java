package io.fctoolkit.maven.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tells the user when a {@code -Dfc.*} property they passed does nothing: the pom sets the same
 * parameter (Maven lets the pom win), the goal has no such parameter (a typo: the message names the
 * nearest property), or another goal reads it and that goal is not part of this build.
 */
public final class PropertyCheck {

  /**
   * Properties the plugin reads itself (not through a goal parameter's expression), by every goal;
   * nested ones ({@code fc.<parameter>.<field>}, e.g. {@code fc.runtime.url}) are not listed: they
   * belong to the goals with that parameter. {@code fc.<goal>.skip} is read by its goal. {@code
   * PropertyLookupsTest} checks that every {@code lookup("fc.…")} of the sources is listed.
   */
  public static final Set<String> READ_DIRECTLY =
      Set.of(
          "fc.variables",
          "fc.direct",
          "fc.gitops",
          "fc.gitops.dir",
          "fc.release",
          "fc.git.remote",
          "fc.git.baseBranch",
          "fc.git.push",
          "fc.git.token",
          "fc.git.username",
          "fc.git.serverId",
          "fc.knative.readyTimeout");

  /**
   * One goal's parameters.
   *
   * @param name the goal, e.g. {@code deploy}
   * @param properties property to parameter name, e.g. {@code fc.image -> image}
   * @param nested parameters whose fields are read as {@code fc.<parameter>.<field>}, e.g. {@code
   *     runtime}
   */
  public record Goal(String name, Map<String, String> properties, Set<String> nested) {
    public Goal {
      properties = Map.copyOf(properties);
      nested = Set.copyOf(nested);
    }

    boolean reads(String property) {
      if (properties.containsKey(property)
          || READ_DIRECTLY.contains(property)
          || property.equals("fc." + name + ".skip")) {
        return true;
      }
      String rest = property.substring("fc.".length());
      int dot = rest.indexOf('.');
      return dot > 0 && nested.contains(rest.substring(0, dot));
    }
  }

  private PropertyCheck() {}

  /**
   * The warnings for one goal execution.
   *
   * @param goal the goal that runs
   * @param all every goal of the plugin
   * @param inBuild the plugin's goals this build runs (from the command line or the pom)
   * @param user the {@code -D} properties that start with {@code fc.}
   * @param pom the values the pom configures, by the property that would otherwise set them (e.g.
   *     {@code fc.handler -> com.example.Hello}, {@code fc.runtime.url -> http://...})
   */
  public static List<String> warnings(
      Goal goal,
      List<Goal> all,
      Set<String> inBuild,
      Map<String, String> user,
      Map<String, String> pom) {
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, String> property : new java.util.TreeMap<>(user).entrySet()) {
      String name = property.getKey();
      if (!name.startsWith("fc.")) {
        continue;
      }
      if (goal.reads(name)) {
        String configured = pom.get(name);
        if (configured != null
            && !configured.equals("${" + name + "}")
            && !configured.equals(property.getValue())) {
          warnings.add(
              "-D"
                  + name
                  + "="
                  + property.getValue()
                  + " is ignored by fc:"
                  + goal.name()
                  + ": pom.xml sets "
                  + element(goal, name)
                  + " to '"
                  + configured
                  + "', which wins over a -D property (Maven's rule); change it in the pom, or"
                  + " set it there as ${"
                  + name
                  + "} to let the command line decide");
        }
        continue;
      }
      List<String> readers = new ArrayList<>();
      for (Goal other : all) {
        if (other.reads(name)) {
          readers.add(other.name());
        }
      }
      if (!readers.isEmpty()) {
        if (readers.stream().noneMatch(inBuild::contains)) {
          warnings.add(
              "-D"
                  + name
                  + " has no effect here: it is read by fc:"
                  + String.join(", fc:", readers)
                  + ", not by fc:"
                  + goal.name());
        }
        continue;
      }
      String nearest = nearest(name, known(all));
      warnings.add(
          "-D"
              + name
              + " is not a property of fc:"
              + goal.name()
              + " nor of any fc goal, so it is ignored"
              + (nearest != null
                  ? "; did you mean -D" + nearest + "?"
                  : "; mvn fc:help -Ddetail -Dgoal=" + goal.name() + " lists them"));
    }
    return warnings;
  }

  private static String element(Goal goal, String property) {
    String parameter = goal.properties().get(property);
    if (parameter != null) {
      return "<" + parameter + ">";
    }
    String[] parts = property.substring("fc.".length()).split("\\.", 2);
    return parts.length == 2 ? "<" + parts[0] + "><" + parts[1] + ">" : "<" + parts[0] + ">";
  }

  private static Set<String> known(List<Goal> all) {
    Set<String> known = new TreeSet<>(READ_DIRECTLY);
    for (Goal g : all) {
      known.addAll(g.properties().keySet());
      known.add("fc." + g.name() + ".skip");
    }
    return known;
  }

  /**
   * The known properties closest to {@code name} (ties all named, e.g. {@code fc.to.image} is as
   * near {@code fc.image} as {@code fc.from.image}), if close enough to be a typo; else null.
   */
  static String nearest(String name, Set<String> known) {
    List<String> best = new ArrayList<>();
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (String candidate : known) {
      int d = distance(lower, candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best.clear();
        bestDistance = d;
      }
      if (d == bestDistance) {
        best.add(candidate);
      }
    }
    // A typo changes a few characters; beyond about a third of the name it is another word.
    int allowed = Math.max(2, (name.length() - "fc.".length() + 2) / 3);
    return bestDistance <= allowed && !best.isEmpty() ? String.join(" or -D", best) : null;
  }

  /** Levenshtein distance (insertions, deletions, substitutions). */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
