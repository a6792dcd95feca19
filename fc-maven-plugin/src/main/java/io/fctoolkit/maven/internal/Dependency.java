package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A resolved jar, without Maven types.
 *
 * @param groupId the group id
 * @param artifactId the artifact id
 * @param file the jar
 */
public record Dependency(String groupId, String artifactId, Path file) {
  public Dependency {
    requireNonNull(groupId, "groupId");
    requireNonNull(artifactId, "artifactId");
    requireNonNull(file, "file");
  }

  /** {@code groupId:artifactId}. */
  public String key() {
    return groupId + ":" + artifactId;
  }
}
