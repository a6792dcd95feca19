package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A host started inside the test JVM on an ephemeral loopback port; close() stops it. */
final class InProcessHost implements AutoCloseable {
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final HostServer server;
  final int port;
  private final ByteArrayOutputStream logBytes;

  private InProcessHost(HostServer server, int port, ByteArrayOutputStream logBytes) {
    this.server = server;
    this.port = port;
    this.logBytes = logBytes;
  }

  static InProcessHost start(String target, String... extraEnv) {
    return startWithStdin("", target, extraEnv);
  }

  /** Starts a host whose standard input holds {@code stdin} (the FC_AUTH=stdin secret). */
  static InProcessHost startWithStdin(String stdin, String target, String... extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("FC_BIND", "127.0.0.1");
    env.put("FUNCTION_TARGET", target);
    for (int i = 0; i < extraEnv.length; i += 2) {
      env.put(extraEnv[i], extraEnv[i + 1]);
    }
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    Host.Outcome outcome =
        Host.start(
            env,
            new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(logBytes, true, StandardCharsets.UTF_8),
            false);
    assertThat(outcome.status()).as("host start status, log: %s", logBytes).isEqualTo(-1);
    return new InProcessHost(outcome.server(), outcome.port(), logBytes);
  }

  String log() {
    synchronized (logBytes) {
      return logBytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** The log once it contains {@code expected} (lines are written after the response is sent). */
  String awaitLog(String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!log().contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return log();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(
        request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stopNow();
  }
}
