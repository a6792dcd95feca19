package io.fctoolkit.runtime.kafka.internal;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Starts the JVMs of an embedded broker (the Kafka server and its storage tool), each through
 * {@link BrokerLauncher} so that it exits when this JVM is gone, and recognises the server's
 * command line among other processes.
 */
public final class BrokerJvm {
  private static final String SERVER_MAIN = "kafka.Kafka";
  private static final String STORAGE_MAIN = "kafka.tools.StorageTool";
  private static final String LAUNCHER_MAIN = BrokerLauncher.class.getName();
  private static final String OWNER_OPTION = "-Dfc.kafka.owner=";

  private final String classpath;
  private final List<String> jvmOptions;

  /**
   * @param classpath the class path holding {@code kafka_2.13}, its dependencies and this module
   * @param jvmOptions options of every JVM started (heap, GC)
   */
  public BrokerJvm(String classpath, List<String> jvmOptions) {
    this.classpath = requireNonNull(classpath, "classpath");
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * Starts the Kafka server on {@code config}, marked with {@code owner}, its output appended to
   * {@code log}.
   */
  public Process startServer(Path config, String owner, Path log) throws IOException {
    List<String> options = new ArrayList<>(jvmOptions);
    // First on the command line, so that even a command line cut short still carries it.
    options.add(0, OWNER_OPTION + owner);
    return launch(options, SERVER_MAIN, List.of(config.toString()), log);
  }

  /** Starts Kafka's storage tool with {@code args}, its output appended to {@code log}. */
  public Process startStorageTool(List<String> args, Path log) throws IOException {
    return launch(jvmOptions, STORAGE_MAIN, args, log);
  }

  /**
   * Whether {@code args}, a process's full command line, is that of a server started by {@link
   * #startServer} on {@code config} with {@code owner}.
   */
  public static boolean isServer(List<String> args, Path config, String owner) {
    return args.contains(OWNER_OPTION + owner)
        && Collections.indexOfSubList(args, List.of(LAUNCHER_MAIN, SERVER_MAIN, config.toString()))
            >= 0;
  }

  private Process launch(List<String> options, String mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-cp");
    command.add(classpath);
    command.add(LAUNCHER_MAIN);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    return builder.start();
  }

  private static File nullFile() {
    return new File(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win")
            ? "NUL"
            : "/dev/null");
  }
}
