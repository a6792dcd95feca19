package io.fctoolkit.maven.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.runtime.LocalPlatform;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Finds the local runtime of a state folder, or starts one in the background (a child JVM on the
 * runtime's own classpath, see {@link RuntimeClasspath}, in its own session so it outlives the
 * Maven run and Ctrl-C), and stops it again.
 */
public final class LocalRuntime {

  /**
   * A connection and whether this call started the runtime. The platform is typed as the SPI: this
   * class is the only one of the plugin that names the runtime's client class.
   */
  public record Connection(Platform platform, boolean started, Long pid) {}

  private static final String MAIN = "io.fctoolkit.runtime.RuntimeMain";

  private LocalRuntime() {}

  /** The platform of the runtime running on {@code stateDir}, if one answers. */
  public static Optional<Platform> running(Path stateDir) {
    return runningClient(stateDir).map(Platform.class::cast);
  }

  private static Optional<LocalPlatform> runningClient(Path stateDir) {
    if (!Files.isRegularFile(stateDir.resolve("run/runtime.json"))) {
      return Optional.empty();
    }
    try {
      LocalPlatform platform = LocalPlatform.connect(stateDir);
      return platform.isUp() ? Optional.of(platform) : Optional.empty();
    } catch (PlatformUnavailableException e) {
      return Optional.empty();
    }
  }

  /** Connects to a runtime at an explicit URL with the state folder's token. */
  public static Platform at(URI url, Path stateDir) {
    try {
      String token = Files.readString(stateDir.resolve("token")).trim();
      LocalPlatform platform = new LocalPlatform(url, token);
      if (!platform.isUp()) {
        throw new PlatformUnavailableException(
            url.toString(),
            "the local runtime does not answer",
            "start it with mvn fc:local, or leave fc.runtime.url unset so that fc:deploy starts"
                + " one",
            null);
      }
      return platform;
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          stateDir.toString(),
          "cannot read the runtime's token: " + e.getMessage(),
          "point fc.runtime.stateDir at the state folder of the runtime at " + url,
          e);
    }
  }

  /**
   * Connects to the runtime of {@code stateDir}, starting one in the background when none answers.
   *
   * @param classpath the runtime's classpath ({@link RuntimeClasspath}), asked for only when a
   *     runtime must be started
   * @param port the port to start on (0 picks a free one)
   * @param timeout how long to wait for a started runtime to answer
   */
  public static Connection connectOrStart(
      Path stateDir,
      Supplier<List<Path>> classpath,
      int port,
      Duration timeout,
      Consumer<FcEvent> events)
      throws InterruptedException {
    Optional<Platform> running = running(stateDir);
    if (running.isPresent()) {
      return new Connection(running.get(), false, null);
    }
    Process process = start(stateDir, classpath.get(), port, false);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<LocalPlatform> up = runningClient(stateDir);
      if (up.isPresent()) {
        events.accept(
            FcEvent.lifecycle(
                "No local runtime answered for "
                    + stateDir
                    + ", so one was started in the background at "
                    + up.get().uri()
                    + " (pid "
                    + process.pid()
                    + ", log "
                    + log(stateDir)
                    + "; stop it with mvn fc:local-stop)"));
        return new Connection(up.get(), true, process.pid());
      }
      if (!process.isAlive()) {
        throw new PlatformUnavailableException(
            stateDir.toString(),
            "the local runtime exited with status "
                + process.exitValue()
                + " while starting: "
                + tail(log(stateDir)),
            "see " + log(stateDir),
            null);
      }
      Thread.sleep(100);
    }
    process.destroy();
    throw new PlatformUnavailableException(
        stateDir.toString(),
        "the local runtime did not answer within " + timeout.toSeconds() + " s",
        "see " + log(stateDir),
        null);
  }

  /**
   * Starts {@code RuntimeMain} on {@code stateDir} from {@code classpath}, which must hold the
   * runtime's full graph: the runtime starts its embedded Kafka broker from its own classpath.
   *
   * @param foreground whether it shares this process's console (fc:local) or runs detached with its
   *     output in {@code <state>/logs/runtime.log}
   */
  public static Process start(Path stateDir, List<Path> classpath, int port, boolean foreground) {
    try {
      Files.createDirectories(stateDir.resolve("logs"));
      List<String> command = new ArrayList<>();
      // Its own session: Ctrl-C in this terminal must not stop a background runtime.
      if (!foreground && new File("/usr/bin/setsid").canExecute()) {
        command.add("/usr/bin/setsid");
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(
          classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
      command.add(MAIN);
      command.add("--state-dir");
      command.add(stateDir.toString());
      command.add("--port");
      command.add(Integer.toString(port));
      ProcessBuilder builder = new ProcessBuilder(command);
      if (foreground) {
        builder.inheritIO();
      } else {
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log(stateDir).toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      return builder.start();
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          stateDir.toString(), "cannot start the local runtime: " + e.getMessage(), null, e);
    }
  }

  /**
   * Stops the runtime of {@code stateDir} (SIGTERM: it drains its instances), waiting at most
   * {@code timeout}. Returns its pid, or empty when none was running.
   */
  public static Optional<Long> stop(Path stateDir, Duration timeout) throws InterruptedException {
    Path info = stateDir.resolve("run/runtime.json");
    if (!Files.isRegularFile(info)) {
      return Optional.empty();
    }
    long pid;
    try {
      JsonNode node = new ObjectMapper().readTree(info.toFile());
      pid = node.path("pid").asLong(-1);
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (pid <= 0 || handle.isEmpty()) {
      return Optional.empty();
    }
    handle.get().destroy();
    try {
      handle.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      handle.get().destroyForcibly();
    }
    return Optional.of(pid);
  }

  /** Where a background runtime writes its output. */
  public static Path log(Path stateDir) {
    return stateDir.resolve("logs/runtime.log");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
