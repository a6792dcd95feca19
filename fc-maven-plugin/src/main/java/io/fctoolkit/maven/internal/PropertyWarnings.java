package io.fctoolkit.maven.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Reads what a goal's {@code -Dfc.*} properties could mean from Maven's session, the plugin's
 * descriptor and the execution's configuration, and logs {@link PropertyCheck}'s warnings once per
 * build: a property the pom overrides, one no goal reads, one only a goal outside this build reads.
 */
public final class PropertyWarnings {

  private PropertyWarnings() {}

  /** Warnings already given in this build: each once, although several goals check. */
  private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Logs which {@code -Dfc.*} properties do nothing in {@code goal} ({@link PropertyCheck}). */
  public static void warn(
      MavenSession session,
      PluginDescriptor plugin,
      MavenProject project,
      MojoExecution mojoExecution,
      String goal,
      Log log) {
    if (session == null || plugin == null || plugin.getMojos() == null) {
      return;
    }
    Map<String, String> user = new TreeMap<>();
    session
        .getUserProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith("fc.")) {
                user.put(k.toString(), v.toString());
              }
            });
    if (user.isEmpty()) {
      return;
    }
    List<PropertyCheck.Goal> goals = new ArrayList<>();
    PropertyCheck.Goal current = null;
    for (MojoDescriptor mojo : plugin.getMojos()) {
      Map<String, String> properties = new HashMap<>();
      Set<String> nested = new HashSet<>();
      if (mojo.getParameters() != null) {
        for (org.apache.maven.plugin.descriptor.Parameter p : mojo.getParameters()) {
          String expression = p.getExpression();
          if (expression != null && expression.startsWith("${fc.") && expression.endsWith("}")) {
            properties.put(expression.substring(2, expression.length() - 1), p.getName());
          } else if (expression == null && p.isEditable() && !isScalar(p.getType())) {
            nested.add(p.getName());
          }
        }
      }
      PropertyCheck.Goal described = new PropertyCheck.Goal(mojo.getGoal(), properties, nested);
      goals.add(described);
      if (mojo.getGoal().equals(goal)) {
        current = described;
      }
    }
    if (current == null) {
      return;
    }
    for (String warning :
        PropertyCheck.warnings(
            current,
            goals,
            goalsInBuild(session, plugin, project, goal),
            user,
            pomValues(mojoExecution, current))) {
      if (WARNED.add(System.identityHashCode(session) + warning)) {
        log.warn(warning);
      }
    }
  }

  private static boolean isScalar(String type) {
    return type == null
        || type.startsWith("java.lang.")
        || type.equals("int")
        || type.equals("boolean")
        || type.equals("long")
        || type.equals("java.io.File")
        || type.startsWith("java.util.");
  }

  /** The plugin's goals this build runs: named on the command line or bound in the pom. */
  private static Set<String> goalsInBuild(
      MavenSession session, PluginDescriptor plugin, MavenProject project, String goal) {
    Set<String> goals = new HashSet<>();
    goals.add(goal);
    String prefix = plugin.getGoalPrefix() + ":";
    String key = plugin.getGroupId() + ":" + plugin.getArtifactId() + ":";
    for (String g : session.getGoals()) {
      if (g.startsWith(prefix)) {
        goals.add(g.substring(prefix.length()));
      } else if (g.startsWith(key)) {
        goals.add(g.substring(g.lastIndexOf(':') + 1));
      }
    }
    if (project != null) {
      for (org.apache.maven.model.Plugin p : project.getBuildPlugins()) {
        if (plugin.getArtifactId().equals(p.getArtifactId())) {
          p.getExecutions().forEach(e -> goals.addAll(e.getGoals()));
        }
      }
    }
    return goals;
  }

  /**
   * What this execution's configuration sets, by the property it hides: the merged configuration
   * holds {@code ${fc.x}} for a parameter the pom leaves alone, the pom's value otherwise.
   */
  private static Map<String, String> pomValues(
      MojoExecution mojoExecution, PropertyCheck.Goal goal) {
    Map<String, String> values = new HashMap<>();
    Xpp3Dom configuration = mojoExecution == null ? null : mojoExecution.getConfiguration();
    if (configuration == null) {
      return values;
    }
    goal.properties()
        .forEach(
            (property, parameter) -> {
              Xpp3Dom child = configuration.getChild(parameter);
              if (child != null && child.getValue() != null) {
                values.put(property, child.getValue().trim());
              }
            });
    for (String parameter : goal.nested()) {
      Xpp3Dom child = configuration.getChild(parameter);
      if (child != null) {
        for (Xpp3Dom field : child.getChildren()) {
          if (field.getValue() != null) {
            values.put("fc." + parameter + "." + field.getName(), field.getValue().trim());
          }
        }
      }
    }
    return values;
  }
}
