package io.fctoolkit.host.bench;

import io.fctoolkit.host.internal.Host;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How fc-host answers a well-behaved client while K slow ones are held (issue 13): K connections
 * that send half a request head and nothing more, opened before and kept during {@code seconds},
 * while a GET is sent every 100 ms on a fresh connection. Default limits (header timeout, 1,024
 * connections with the oldest idle evicted); the host runs in this JVM (the server is the same
 * class a production instance runs; only process start-up is left out).
 *
 * <p>Prints a Markdown line per K: answered with 200 / sent, latency p50 / p99 / max, and how many
 * of the K slow connections the host had closed by the end. Arguments: {@code [seconds=16] [K...=70
 * 1000 1100 2000]}; run with {@code bench/slow-clients/run.sh host}.
 */
public final class HostSlowClientsBench {

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
      ks = List.of(70, 1000, 1100, 2000);
    }
    System.out.println(
        "| K half heads (fc-host) | answered 200 / sent | p50 ms | p99 ms | max ms | slow"
            + " connections closed by "
            + seconds
            + " s |");
    System.out.println("|---|---|---|---|---|---|");
    for (int k : ks) {
      run(k, seconds);
    }
    System.exit(0);
  }

  private static void run(int k, int seconds) throws Exception {
    Host.Outcome host =
        Host.start(
            Map.of(
                "PORT", "0",
                "FC_BIND", "127.0.0.1",
                "FUNCTION_TARGET", "io.fctoolkit.host.testfunctions.Echo"),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(OutputStream.nullOutputStream()),
            false);
    if (host.status() != -1) {
      throw new IllegalStateException("fc-host did not start: exit status " + host.status());
    }
    List<Socket> slow = new ArrayList<>();
    try {
      byte[] half =
          "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < k; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", host.port()), 5000);
        s.getOutputStream().write(half);
        s.getOutputStream().flush();
        slow.add(s);
      }
      URI uri = URI.create("http://127.0.0.1:" + host.port() + "/ok?name=bench");
      List<Long> latencies = new ArrayList<>();
      int sent = 0;
      int answered = 0;
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      while (System.nanoTime() < end) {
        sent++;
        long start = System.nanoTime();
        try {
          HttpResponse<String> response =
              HTTP.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() / 100 == 2) {
            answered++;
          }
        } catch (IOException e) {
          // Counted as sent and not answered.
        }
        latencies.add((System.nanoTime() - start) / 1_000_000);
        Thread.sleep(100);
      }
      int closed = 0;
      for (Socket s : slow) {
        s.setSoTimeout(1);
        try {
          // Data (a 408) or end of stream: the host answered and let it go.
          s.getInputStream().read();
          closed++;
        } catch (java.net.SocketTimeoutException e) {
          // Still open: the host is holding it.
        } catch (IOException e) {
          closed++;
        }
      }
      Collections.sort(latencies);
      System.out.printf(
          "| %d | %d / %d | %d | %d | %d | %d |%n",
          k,
          answered,
          sent,
          percentile(latencies, 50),
          percentile(latencies, 99),
          latencies.get(latencies.size() - 1),
          closed);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
      host.server().stopNow();
    }
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
