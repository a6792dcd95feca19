package io.fctoolkit.runtime.bench;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.TestImages;
import io.fctoolkit.runtime.TriggerHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How the control API answers others while K slow clients are held (issue 13): K connections that
 * send half a request head, plus K/10 deploy bodies trickling a byte a second. During {@code
 * seconds} it calls health, an authenticated list and a public invocation every 100 ms and prints a
 * Markdown line per K: answered/sent, latency p50/p99/max, and how many slow heads the runtime
 * closed. Default limits (10 s per head, 30 s between body bytes).
 *
 * <p>Arguments: {@code [seconds=16] [K...=70 200 1000]}. Run with {@code
 * bench/slow-clients/run.sh}.
 */
public final class SlowClientsBench {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    List<Integer> ks = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      ks.add(Integer.parseInt(args[i]));
    }
    if (ks.isEmpty()) {
      ks = List.of(70, 200, 1000);
    }
    Path work = Files.createTempDirectory("fc-slow-clients-bench");
    TestImages.Built image = TestImages.build(work, "hello", "bench", true);
    ImageSource source = new ImageSource.Archive(image.tarball(), image.digest(), "local/hello");
    System.out.println(
        "| K half heads | trickling bodies | answered / sent | p50 ms | p99 ms | max ms"
            + " | heads closed by "
            + seconds
            + " s |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int k : ks) {
      run(work.resolve("state-" + k), source, k, seconds);
    }
  }

  private static void run(Path state, ImageSource source, int k, int seconds) throws Exception {
    RuntimeOptions options =
        RuntimeOptions.forTest(state).withTriggers((invoker, dir, events) -> TriggerHost.none());
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      platform.publish(
          new PublishRequest(
              FunctionConfig.builder("open", "io.fctoolkit.runtime.testfn.Hello")
                  .publicInvoke(true)
                  .build(),
              source,
              null));
      platform.putAlias(new AliasUpdate("open", "live", AliasTarget.of(1), 0L));
      call(server, "/invoke/open/live", false); // the instance is warm before the clock starts
      List<Socket> heads = new ArrayList<>();
      List<Socket> bodies = new ArrayList<>();
      ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
      try {
        for (int i = 0; i < k; i++) {
          heads.add(open(server, "GET /v1/health HTTP/1.1\r\nHost: x\r\n"));
        }
        for (int i = 0; i < k / 10; i++) {
          bodies.add(
              open(
                  server,
                  "PUT /v1/functions/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + server.token()
                      + "\r\nContent-Length: 100000\r\n\r\n{"));
        }
        trickle.scheduleAtFixedRate(
            () -> bodies.forEach(s -> write(s, " ")), 1, 1, TimeUnit.SECONDS);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        int sent = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
          for (String[] c :
              new String[][] {
                {"/v1/health", "open"}, {"/v1/functions", "token"}, {"/invoke/open/live", "open"}
              }) {
            sent++;
            long t0 = System.nanoTime();
            if (call(server, c[0], c[1].equals("token"))) {
              latencies.add((System.nanoTime() - t0) / 1_000_000);
            }
          }
          Thread.sleep(100);
        }
        int closed = 0;
        for (Socket s : heads) {
          closed += isClosed(s) ? 1 : 0;
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
            "| %d | %d | %d / %d | %d | %d | %d | %d / %d |%n",
            k,
            bodies.size(),
            sorted.size(),
            sent,
            pct(sorted, 50),
            pct(sorted, 99),
            sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
            closed,
            k);
      } finally {
        trickle.shutdownNow();
        for (Socket s : heads) {
          s.close();
        }
        for (Socket s : bodies) {
          s.close();
        }
      }
    }
  }

  private static Socket open(RuntimeServer server, String text) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
    write(s, text);
    return s;
  }

  private static void write(Socket s, String text) {
    try {
      s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
    } catch (IOException e) {
      // closed by the runtime
    }
  }

  private static boolean isClosed(Socket s) throws IOException {
    s.setSoTimeout(1);
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Whether the call got a 200 within 5 s. */
  private static boolean call(RuntimeServer server, String path, boolean token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(5));
    if (token) {
      b.header("Authorization", "Bearer " + server.token());
    }
    b.method(path.startsWith("/invoke") ? "POST" : "GET", HttpRequest.BodyPublishers.ofString(""));
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
