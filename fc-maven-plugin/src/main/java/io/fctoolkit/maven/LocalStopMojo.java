package io.fctoolkit.maven;

import io.fctoolkit.maven.internal.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Stops a local runtime running in the background (it drains its instances first). Skipped with
 * {@code -Dfc.local-stop.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "local-stop", requiresProject = false, threadSafe = true)
public class LocalStopMojo extends AbstractFcMojo {

  @Override
  String goal() {
    return "local-stop";
  }

  @Override
  void run(FcContext fc) throws Exception {
    Path state = stateDir();
    Optional<Long> stopped = LocalRuntime.stop(state, Duration.ofSeconds(30));
    getLog()
        .info(
            stopped
                .map(pid -> "Stopped the local runtime of " + state + " (pid " + pid + ")")
                .orElse("No local runtime runs on " + state));
  }
}
