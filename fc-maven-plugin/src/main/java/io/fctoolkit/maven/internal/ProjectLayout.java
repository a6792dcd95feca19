package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * What the plugin knows about the project and itself, as plain values.
 *
 * @param artifactId the project's artifact id (the default function name)
 * @param buildDirectory {@code target}
 * @param outputDirectory {@code target/classes}
 * @param runtimeDependencies the project's compile and runtime scoped jars
 * @param hostJar the {@code fc-host} jar the plugin brings
 * @param hostDependencies the host's own runtime dependencies ({@code functions-framework-api})
 * @param pluginVersion the plugin's version, recorded in the image history
 * @param offline whether Maven runs offline ({@code -o})
 */
public record ProjectLayout(
    String artifactId,
    Path buildDirectory,
    Path outputDirectory,
    List<Dependency> runtimeDependencies,
    Path hostJar,
    List<Dependency> hostDependencies,
    String pluginVersion,
    boolean offline) {

  public ProjectLayout {
    requireNonNull(artifactId, "artifactId");
    requireNonNull(buildDirectory, "buildDirectory");
    requireNonNull(outputDirectory, "outputDirectory");
    requireNonNull(hostJar, "hostJar");
    requireNonNull(pluginVersion, "pluginVersion");
    runtimeDependencies = List.copyOf(runtimeDependencies);
    hostDependencies = List.copyOf(hostDependencies);
  }
}
