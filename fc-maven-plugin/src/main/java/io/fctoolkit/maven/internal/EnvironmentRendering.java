package io.fctoolkit.maven.internal;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.core.RenderReport;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The manifests {@code fc:render} writes for an environment, as one function shared by the goal and
 * the golden test that keeps the committed {@code gitops/rendered/<env>/} fresh: the environment's
 * desired state ({@link RenderInputs}) rendered by its platform's provider.
 */
public final class EnvironmentRendering {

  private EnvironmentRendering() {}

  /**
   * Renders every function of {@code environment} into {@code directory}.
   *
   * @param providers the provider of a connection's platform type
   */
  public static RenderReport render(
      GitOpsRepository repository,
      String environment,
      Path directory,
      Function<PlatformConnection, PlatformProvider> providers) {
    EnvironmentSpec env = repository.environment(environment);
    var desired = RenderInputs.of(repository, environment);
    var connection = PlatformConnections.of(env, Duration.ZERO);
    FieldPositions positions = FieldPositions.of(repository, env);
    RenderReport report;
    try {
      report = providers.apply(connection).render(connection, desired, directory);
    } catch (InvalidRequestException e) {
      // Refused findings name environment-file paths: point each at its line.
      throw new InvalidRequestException(
          positions.position(e.field()), positions.annotate(messageOf(e)), e.hint());
    }
    return new RenderReport(
        report.objects(),
        report.written(),
        report.warnings().stream().map(positions::annotate).toList());
  }

  private static String messageOf(InvalidRequestException e) {
    String prefix = e.field() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** {@code gitops/rendered/<env>/}: where the Argo CD and Flux examples point. */
  public static Path renderDir(Path gitops, String environment) {
    return gitops.resolve("rendered").resolve(environment);
  }
}
