package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.maven.internal.LocalRuntime;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Runs the local runtime in the foreground until Ctrl-C (which drains its instances). Skipped with
 * {@code -Dfc.local.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "local", requiresProject = false, threadSafe = true)
public class LocalMojo extends AbstractFcMojo {

  @Override
  String goal() {
    return "local";
  }

  @Override
  void run(FcContext fc) throws Exception {
    Path state = stateDir();
    if (LocalRuntime.running(state).isPresent()) {
      throw new FcException(
          "a local runtime already runs on " + state,
          "stop it with mvn fc:local-stop, or use another fc.runtime.stateDir");
    }
    int number = runtimePort();
    List<Path> classpath = runtimeClasspath();
    getLog().info("Running the local runtime on " + state + " in the foreground (Ctrl-C stops it)");
    Process process = LocalRuntime.start(state, classpath, number, true);
    try {
      int status = process.waitFor();
      getLog().info("The local runtime stopped (status " + status + ")");
    } finally {
      if (process.isAlive()) {
        process.destroy();
      }
    }
  }
}
