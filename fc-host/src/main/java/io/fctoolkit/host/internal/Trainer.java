package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The training run ({@code FC_TRAIN=1}): the host sends requests to itself so that the JVM records
 * the classes (and on JDK 25 the method profiles) that serving needs, then exits 0 and the JVM
 * writes the class-data archive or AOT cache.
 *
 * <p>The function is loaded and constructed exactly as in production, but its service method is
 * never called: training runs at publish time, where calling user code could have side effects
 * (writes, messages) nobody asked for. Requests go to {@code /_fc/train}, which runs the same
 * parsing and response path as a real invocation.
 *
 * <p>The client is a raw socket on purpose: java.net.http would put hundreds of client classes into
 * the archive that a serving host never loads.
 */
final class Trainer {
  private static final int ROUNDS = 20;

  private Trainer() {}

  static int train(int port, FunctionInvoker invoker, JsonLog log) {
    long started = System.nanoTime();
    int requests = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        expect(port, "GET /_fc/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200);
        expect(port, "GET /_fc/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200);
        expect(
            port,
            "GET /_fc/train?name=train&x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "User-Agent: fc-train\r\nAccept: */*\r\n\r\n",
            200);
        String json = "{\"name\":\"train\",\"n\":1,\"ok\":true,\"list\":[1,2.5,null]}";
        expect(
            port,
            "POST /_fc/train HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "ce-specversion: 1.0\r\nce-id: train-"
                + round
                + "\r\nce-source: /fc/train\r\nce-type: io.fctoolkit.train\r\n"
                + "Content-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + json,
            200);
        String event =
            "{\"specversion\":\"1.0\",\"id\":\"s-"
                + round
                + "\",\"source\":\"/fc/train\",\"type\":\"io.fctoolkit.train\","
                + "\"datacontenttype\":\"application/json\",\"data\":"
                + json
                + "}";
        expect(
            port,
            "POST /_fc/train HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/cloudevents+json\r\nContent-Length: "
                + event.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + event,
            200);
        requests += 5;
      }
    } catch (IOException | RuntimeException e) {
      log.error("training failed").error(e).write();
      return Host.EXIT_TRAIN;
    }
    log.info("trained")
        .field("kind", invoker.kind())
        .field("requests", requests)
        .field("durationMs", (System.nanoTime() - started) / 1_000_000L)
        .write();
    return 0;
  }

  /** Sends one request on a fresh connection and checks the status line. */
  private static void expect(int port, String request, int status) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          request
              .replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      String expected = "HTTP/1.1 " + status + " ";
      if (!response.startsWith(expected)) {
        int end = response.indexOf('\r');
        throw new IOException(
            "Training request "
                + request.substring(0, request.indexOf('\r'))
                + " answered '"
                + (end < 0 ? response : response.substring(0, end))
                + "', expected "
                + status);
      }
    }
  }
}
