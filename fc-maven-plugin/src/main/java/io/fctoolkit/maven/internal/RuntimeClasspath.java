package io.fctoolkit.maven.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves the local runtime's full classpath, {@code io.fctoolkit:fc-runtime} and its runtime
 * dependencies (the embedded Kafka broker included), through Maven's resolver. The plugin's own
 * class realm leaves the broker out, so a runtime is started from this classpath instead, and it is
 * resolved only when one must be started.
 */
public final class RuntimeClasspath {

  /** The runtime's coordinates without the version, which is the plugin's own. */
  public static final String ARTIFACT = "io.fctoolkit:fc-runtime";

  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;

  /**
   * @param repositories where to resolve from when the local repository lacks something: the
   *     project's plugin repositories (the runtime ships with the plugin)
   */
  public RuntimeClasspath(
      RepositorySystem system,
      RepositorySystemSession session,
      List<RemoteRepository> repositories) {
    this.system = system;
    this.session = session;
    this.repositories = List.copyOf(repositories);
  }

  /**
   * The files of {@code fc-runtime:<version>} and of its compile and runtime dependencies, the
   * runtime's jar first, in Maven's classpath order. The graph is fc-runtime's own (as in its
   * {@code target/lib}): the plugin's exclusions do not apply to it.
   *
   * @throws RuntimeClasspathException naming the artifact that could not be resolved
   */
  public List<Path> resolve(String version) {
    String coordinates = ARTIFACT + ":" + version;
    CollectRequest collect =
        new CollectRequest(
            new Dependency(new DefaultArtifact(coordinates), JavaScopes.RUNTIME), repositories);
    DependencyRequest request =
        new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    List<ArtifactResult> results;
    try {
      results = system.resolveDependencies(session, request).getArtifactResults();
    } catch (DependencyResolutionException e) {
      throw new RuntimeClasspathException(coordinates, session.isOffline(), e);
    }
    List<Path> files = new ArrayList<>();
    for (ArtifactResult result : results) {
      files.add(result.getArtifact().getFile().toPath());
    }
    return files;
  }
}
