package io.fctoolkit.core.image;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for tests: Debian's {@code docker-registry} (the CNCF distribution registry)
 * started as a child process on 127.0.0.1 with its storage in a temporary folder, stopped on {@link
 * #close()}.
 */
final class LocalRegistry implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private LocalRegistry(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a registry on a free port and waits (at most 20 s) until it answers. */
  static LocalRegistry start(Path directory) throws IOException, InterruptedException {
    Path storage = Files.createDirectories(directory.resolve("storage"));
    // A port that was free a moment ago; a clash shows as a failed start and is retried.
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Path config = directory.resolve("config-" + port + ".yml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "version: 0.1",
              "log:",
              "  level: warn",
              "  accesslog:",
              "    disabled: true",
              "storage:",
              "  filesystem:",
              "    rootdirectory: " + storage,
              "  delete:",
              "    enabled: true",
              "http:",
              "  addr: 127.0.0.1:" + port,
              ""));
      Path log = directory.resolve("registry-" + port + ".log");
      Process process =
          new ProcessBuilder("docker-registry", "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      LocalRegistry registry = new LocalRegistry(process, port, log);
      if (registry.awaitReady(Duration.ofSeconds(20))) {
        return registry;
      }
      registry.close();
      if (attempt == 3) {
        throw new IOException(
            "docker-registry did not start on 127.0.0.1:" + port + ": " + Files.readString(log));
      }
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + port;
  }

  private boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(1000);
        if (connection.getResponseCode() == 200) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "LocalRegistry[" + address() + ", log " + log + "]";
  }
}
