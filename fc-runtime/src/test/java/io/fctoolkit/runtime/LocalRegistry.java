package io.fctoolkit.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's docker-registry (CNCF distribution) as a child process on 127.0.0.1, plain HTTP. */
final class LocalRegistry implements AutoCloseable {

  private final Process process;
  final String address;

  private LocalRegistry(Process process, String address) {
    this.process = process;
    this.address = address;
  }

  static LocalRegistry start(Path dir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("registry.yml");
    Files.writeString(
        config,
        "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
            + Files.createDirectories(dir.resolve("registry-data"))
            + "\nhttp:\n  addr: 127.0.0.1:"
            + port
            + "\n");
    Process p =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    LocalRegistry registry = new LocalRegistry(p, "127.0.0.1:" + port);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create("http://" + registry.address + "/v2/"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return registry;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    registry.close();
    throw new IllegalStateException(
        "docker-registry did not start; see " + dir.resolve("registry.log"));
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
