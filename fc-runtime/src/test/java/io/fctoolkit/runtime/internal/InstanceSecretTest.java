package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's side of the instance-secret contract, against a child JVM ({@link FakeHostMain})
 * that enforces it as fc-host does: the secret arrives on stdin, never in the environment, the
 * command line, the log or the pid file, and every request the pool forwards carries it.
 */
class InstanceSecretTest {

  @TempDir Path dir;

  @Test
  void launch_feedsTheSecretOnStdin_andThePoolSendsIt_whileOthersGet403() throws Exception {
    // Given a child JVM launched as an instance
    Path classes =
        Path.of(FakeHostMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    InstanceJava java = InstanceJava.of(Path.of(System.getProperty("java.home"))).orElseThrow();
    LaunchSpec spec =
        new LaunchSpec(
            "fn",
            1,
            java,
            List.of(classes),
            FakeHostMain.class.getName(),
            Map.of(),
            64,
            null,
            dir,
            null);
    Path pidDir = Files.createDirectories(dir.resolve("pids"));
    LogSink log = new LogSink(dir.resolve("v1.log"));
    Instance instance =
        Instance.launch("fn-v1-1", spec, List.of(), log, Duration.ofSeconds(30), pidDir);
    ExecutorService launcher = Executors.newCachedThreadPool();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      String secret = instance.secret;
      assertThat(secret).matches("[A-Za-z0-9_-]{43}");
      assertThat(Instance.newSecret()).isNotEqualTo(secret);

      // When the pool forwards a request, and another local process calls the port directly
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      InstanceClient client = new InstanceClient();
      VersionPool pool =
          new VersionPool(
              new Version(
                  "fn",
                  1,
                  "sha256:" + "0".repeat(64),
                  FunctionConfig.builder("fn", "x.Handler").build(),
                  "c",
                  null,
                  Instant.now()),
              () -> spec,
              log,
              new ServingStats(),
              client,
              launcher,
              timer,
              new PoolSettings(
                  10,
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(1),
                  pidDir));
      pool.adopt(instance);
      Call call = new Call("POST", "/", Map.of(), new byte[0], null);
      pool.submit(call);
      InvokeResponse viaPool = call.future().get(20, TimeUnit.SECONDS);
      HttpResponse<String> direct =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + "/"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      // Then
      assertThat(viaPool.status()).isEqualTo(200);
      assertThat(new String(viaPool.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
      assertThat(direct.statusCode()).isEqualTo(403);
      String environ =
          Files.readString(Path.of("/proc/" + instance.pid() + "/environ"), StandardCharsets.UTF_8);
      assertThat(environ).contains("FC_AUTH=stdin").doesNotContain(secret);
      // Nothing of the runtime's own environment (where a token could be) reaches the instance.
      assertThat(environ.split("\0"))
          .extracting(e -> e.substring(0, e.indexOf('=')))
          .containsExactlyInAnyOrder("PATH", "HOME", "FC_AUTH");
      String cmdline =
          Files.readString(Path.of("/proc/" + instance.pid() + "/cmdline"), StandardCharsets.UTF_8);
      assertThat(cmdline).doesNotContain(secret);
      assertThat(Files.readString(log.file())).doesNotContain(secret);
      assertThat(Files.readString(pidDir.resolve(Long.toString(instance.pid()))))
          .doesNotContain(secret);
      pool.close(true);
      client.close();
    } finally {
      instance.kill();
      launcher.shutdownNow();
      timer.shutdownNow();
      log.close();
    }
  }
}
