package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The host as a real child JVM (for exit codes and signals); close() kills it if still alive. */
final class ChildHost implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("\"msg\":\"ready\",\"port\":(\\d+)");

  final Process process;
  private final Path output;

  private ChildHost(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static ChildHost start(Map<String, String> env, String... jvmFlags) throws IOException {
    return start(javaBin(), System.getProperty("java.class.path"), env, jvmFlags);
  }

  static ChildHost start(Path java, String classpath, Map<String, String> env, String... jvmFlags)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(List.of(jvmFlags));
    command.add("-cp");
    command.add(classpath);
    command.add("io.fctoolkit.host.FcHost");
    // Output goes to a file, not a pipe: Process.destroy() closes the parent's end of the pipes,
    // and the drain log lines written after SIGTERM would be lost.
    Path output = Files.createTempFile("fc-host-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("FC_BIND", "127.0.0.1");
    builder.environment().put("PORT", "0");
    builder.environment().putAll(env);
    return new ChildHost(builder.start(), output);
  }

  static Path javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java");
  }

  /** Waits for the ready line and returns the port it reports. */
  int awaitPort() throws InterruptedException {
    String line = awaitLine("\"msg\":\"ready\"", Duration.ofSeconds(30));
    Matcher m = PORT.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("No port in ready line " + line);
    }
    return Integer.parseInt(m.group(1));
  }

  /** The first output line containing {@code fragment}; fails after {@code timeout}. */
  String awaitLine(String fragment, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String line : output().split("\n")) {
        if (line.contains(fragment)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "No line containing " + fragment + " within " + timeout + "; output: " + output());
      }
      Thread.sleep(10);
    }
  }

  /** Waits for the process to end and returns its exit status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "Host did not exit within " + timeout + "; output: " + output());
    }
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }
}
