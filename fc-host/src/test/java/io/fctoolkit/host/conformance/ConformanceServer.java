package io.fctoolkit.host.conformance;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One function served by one server process, started as in production: Google's invoker jar with
 * the function on {@code --classpath}, or fc-host with the function on {@code -cp}. Each server has
 * its own folder for what the event functions record.
 */
final class ConformanceServer implements AutoCloseable {
  private static final Pattern READY_PORT = Pattern.compile("\"msg\":\"ready\",\"port\":(\\d+)");

  final String name;
  final Path recordings;
  private final Process process;
  private final Path log;
  private final int port;

  private ConformanceServer(String name, Process process, Path log, Path recordings, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.recordings = recordings;
    this.port = port;
  }

  int port() {
    return port;
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Google's invoker: {@code java -jar invoker.jar --port P --target T --classpath CP}. */
  static ConformanceServer invoker(Path invokerJar, String target, String functionClasspath)
      throws IOException, InterruptedException {
    int port = freePort();
    Path recordings = Files.createTempDirectory("conformance-invoker-");
    List<String> command =
        List.of(
            java(),
            "-jar",
            invokerJar.toString(),
            "--port",
            Integer.toString(port),
            "--target",
            target,
            "--classpath",
            functionClasspath);
    Path log = Files.createTempFile("conformance-invoker-", ".log");
    Process process = start(command, log, recordings);
    ConformanceServer server =
        new ConformanceServer("invoker " + target, process, log, recordings, port);
    try {
      server.awaitConnectable(Duration.ofSeconds(60));
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** fc-host: {@code java -cp HOST:API:FUNCTION io.fctoolkit.host.FcHost}, PORT=0. */
  static ConformanceServer host(String target, String classpath)
      throws IOException, InterruptedException {
    Path recordings = Files.createTempDirectory("conformance-host-");
    List<String> command = List.of(java(), "-cp", classpath, "io.fctoolkit.host.FcHost");
    Path log = Files.createTempFile("conformance-host-", ".log");
    ProcessBuilder builder = builder(command, log, recordings);
    builder.environment().put("PORT", "0");
    builder.environment().put("FC_BIND", "127.0.0.1");
    builder.environment().put("FUNCTION_TARGET", target);
    Process process = builder.start();
    ConformanceServer server =
        new ConformanceServer("fc-host " + target, process, log, recordings, -1);
    try {
      int port = awaitReadyPort(process, log, Duration.ofSeconds(60));
      return new ConformanceServer(server.name, process, log, recordings, port);
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close(); // the process and its temporary files
      throw e;
    }
  }

  private static Process start(List<String> command, Path log, Path recordings) throws IOException {
    return builder(command, log, recordings).start();
  }

  private static ProcessBuilder builder(List<String> command, Path log, Path recordings) {
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("CONFORMANCE_OUT", recordings.toString());
    return builder;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A port that was free a moment ago: the invoker takes no port 0. Another process could take it
   * in between; the start then fails visibly rather than testing the wrong server.
   */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitConnectable(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start-up: " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not open port " + port + ": " + log());
        }
        Thread.sleep(20);
      }
    }
  }

  private static int awaitReadyPort(Process process, Path log, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Matcher matcher = READY_PORT.matcher(output);
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("fc-host did not get ready: " + output);
      }
      Thread.sleep(20);
    }
  }

  /** The class path entries of this JVM whose path contains one of {@code fragments}. */
  static String classpath(String... fragments) {
    List<String> picked = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String normalized = entry.replace(File.separatorChar, '/');
      for (String fragment : fragments) {
        if (normalized.contains(fragment)) {
          picked.add(entry);
          break;
        }
      }
    }
    return String.join(File.pathSeparator, picked);
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(log);
    try (var files = Files.list(recordings)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(recordings);
  }
}
