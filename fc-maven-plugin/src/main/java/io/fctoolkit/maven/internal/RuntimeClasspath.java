package io.fctoolkit.maven.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
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
 * Resolves parts of the toolkit through Maven's resolver when a goal needs them, rather than as the
 * plugin's own dependencies, which Maven collects before every goal: the local runtime's full
 * classpath, {@code io.fctoolkit:fc-runtime} and its runtime dependencies (the embedded Kafka
 * broker included), resolved only when a runtime must be started; and Knative support ({@link
 * PlatformSupport}).
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
    List<Path> files = new ArrayList<>();
    for (Artifact artifact : artifacts(ARTIFACT + ":" + version, "start a local runtime")) {
      files.add(artifact.getFile().toPath());
    }
    return files;
  }

  /**
   * The artifact {@code coordinates} and its compile and runtime dependencies, resolved, in Maven's
   * classpath order.
   *
   * @param neededFor what they are needed for, for the error message
   * @throws RuntimeClasspathException naming the artifact that could not be resolved
   */
  public List<Artifact> artifacts(String coordinates, String neededFor) {
    CollectRequest collect =
        new CollectRequest(
            new Dependency(new DefaultArtifact(coordinates), JavaScopes.RUNTIME), repositories);
    DependencyRequest request =
        new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    List<ArtifactResult> results;
    try {
      results = system.resolveDependencies(session, request).getArtifactResults();
    } catch (DependencyResolutionException e) {
      throw new RuntimeClasspathException(coordinates, neededFor, session.isOffline(), e);
    }
    return results.stream().map(ArtifactResult::getArtifact).toList();
  }
}
