package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.runtime.kafka.KafkaTriggerHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the runtime as a real child process ({@code RuntimeMain} on this test's class path) so a
 * test can SIGKILL it, and kills every one it started, with their instances, at {@link #close()}.
 */
final class RuntimeChild implements AutoCloseable {

  private final Path logDir;
  private final List<ProcessHandle> started = new ArrayList<>();

  RuntimeChild(Path logDir) {
    this.logDir = logDir;
  }

  /** Starts one on {@code stateDir} (port 0) and returns once it printed its ready line. */
  Process start(Path stateDir) throws Exception {
    return start(stateDir, false);
  }

  /**
   * As {@link #start(Path)}, with triggers on the broker the runtime embeds in its state folder,
   * whatever broker this test JVM's environment names.
   */
  Process startOnEmbeddedBroker(Path stateDir) throws Exception {
    return start(stateDir, true);
  }

  private Process start(Path stateDir, boolean embeddedBroker) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.fctoolkit.runtime.RuntimeMain",
            "--state-dir",
            stateDir.toString(),
            "--port",
            "0");
    if (embeddedBroker) {
      pb.environment().remove(KafkaTriggerHost.ENV_BOOTSTRAP);
    }
    pb.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog().toFile()));
    Process p = pb.start();
    started.add(p.toHandle());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("runtime ready line").isNotNull().contains("\"msg\":\"ready\"");
    // Keep draining stdout so a chatty runtime never blocks on a full pipe.
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded: the runtime's log is in its state folder
                }
              } catch (java.io.IOException e) {
                // the process died: nothing more to read
              }
            },
            "runtime-stdout-drain");
    drain.setDaemon(true);
    drain.start();
    return p;
  }

  /** Where every runtime started here appends its stderr. */
  Path stderrLog() {
    return logDir.resolve("runtime-stderr.log");
  }

  @Override
  public void close() {
    for (ProcessHandle p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
