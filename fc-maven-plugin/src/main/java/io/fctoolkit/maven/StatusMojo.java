package io.fctoolkit.maven;

import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.StatusTable;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints one table for the function: each version with its digest, the aliases (and weights) that
 * route to it, its instances, invocations, errors and latency, and each trigger's lag per
 * partition. With {@code -Dfc.env=<env>} it reads the platform that environment's gitops file
 * binds; on Knative it also lists the Ready condition of the Service, each revision and each
 * trigger object. Skipped with {@code -Dfc.status.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractFcMojo {

  @Override
  String goal() {
    return "status";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    try (Platform platform = platform(fc, false)) {
      FunctionState state =
          platform
              .describe(name)
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "function", name, "deploy it first with mvn fc:deploy"));
      FunctionMetrics metrics = platform.metrics(name);
      getLog().info(name + " on " + platform.target());
      StatusTable.lines(state, metrics).forEach(line -> getLog().info(line));
      // Where the platform reports readiness per object (Knative), a stuck revision shows here.
      platform.objects(name).forEach(object -> getLog().info(String.valueOf(object)));
    }
  }
}
