package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's HTTP/1.1 client to instances, against a scripted socket server: what it sends,
 * which answers it reads, when it keeps a connection, and its limits.
 */
class InstanceClientTest {

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    processes.forEach(Process::destroyForcibly);
  }

  /** What the scripted server does with one request on a connection. */
  @FunctionalInterface
  interface Script {
    /**
     * @param n the request's number on this server, from 0
     * @return false to close the connection after it
     */
    boolean answer(int n, String head, byte[] body, OutputStream out) throws IOException;
  }

  /** A server that runs {@code script} for every request, keeping connections open between them. */
  private final class Scripted implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> bodies = new LinkedBlockingQueue<>();

    Scripted(Script script) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  Socket s;
                  try {
                    s = socket.accept();
                  } catch (IOException e) {
                    return;
                  }
                  connections.incrementAndGet();
                  Thread t = new Thread(() -> serve(s, script), "scripted-conn");
                  t.setDaemon(true);
                  t.start();
                }
              },
              "scripted-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      closeables.add(this);
    }

    private void serve(Socket s, Script script) {
      try (s) {
        InputStream in = s.getInputStream();
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          int length = 0;
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
          }
          byte[] body = in.readNBytes(length);
          heads.add(head);
          bodies.add(body);
          if (!script.answer(requests.getAndIncrement(), head, body, s.getOutputStream())) {
            return;
          }
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int state = 0;
    int b;
    while (state < 4 && (b = in.read()) >= 0) {
      out.write(b);
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
    }
    return state < 4 ? null : out.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private InstanceClient client(long maxAnswer) {
    InstanceClient client = new InstanceClient(Duration.ofSeconds(2), maxAnswer);
    closeables.add(client);
    return client;
  }

  private Instance instance(int port, String secret) throws IOException {
    Process p = new ProcessBuilder("sleep", "120").start();
    processes.add(p);
    long now = System.nanoTime();
    Instance instance = new Instance("fn-v1-1", p, port, secret, now, now);
    closeables.add(instance.connections::close);
    return instance;
  }

  private static Call call(
      String method, String path, Map<String, List<String>> headers, String body) {
    Call call = new Call(method, path, headers, body.getBytes(StandardCharsets.UTF_8), null);
    assertThat(call.prepare(Call.NOT_FORWARDED)).isNull();
    return call;
  }

  @Test
  void request_carriesItsHeadersBodyAndSecret_andAnswerIsReadWhole() throws Exception {
    // Given
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              write(
                  out, "HTTP/1.1 201 Created\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\nabc");
              return true;
            });
    Instance instance = instance(server.port(), "s3cret");

    // When
    InstanceAnswer answer =
        client(1 << 20)
            .send(
                instance,
                call(
                    "PUT",
                    "/a/b?c=d",
                    Map.of("x-echo", List.of("v1", "v2"), "authorization", List.of("Bearer t")),
                    "hello"),
                Duration.ofSeconds(5));

    // Then
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.headers()).containsEntry("x-a", "1,2").containsEntry("content-length", "3");
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("abc");
    String head = server.heads.poll(5, TimeUnit.SECONDS);
    assertThat(head)
        .startsWith("PUT /a/b?c=d HTTP/1.1\r\n")
        .contains("\r\nx-echo: v1\r\nx-echo: v2\r\n")
        .contains("\r\nContent-Length: 5\r\n")
        .contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
        .contains("\r\n" + Instance.SECRET_HEADER + ": s3cret\r\n")
        .doesNotContainIgnoringCase("authorization");
    assertThat(new String(server.bodies.poll(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
        .isEqualTo("hello");
  }

  @Test
  void keptConnection_carriesTheNextRequests() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
              return true;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);

    for (int i = 0; i < 5; i++) {
      assertThat(
              client
                  .send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5))
                  .status())
          .isEqualTo(200);
    }

    assertThat(server.connections).hasValue(1);
    assertThat(instance.connections.idleCount()).isEqualTo(1);
  }

  @Test
  void keptConnectionTheHostClosed_isNotUsed_andTheRequestGoesOnANewOne() throws Exception {
    // Given a host that answers and then closes the connection without saying so (as at its idle
    // timeout or connection limit)
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + n);
              return false;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);
    client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5));
    // the host's close has arrived
    Thread.sleep(200);

    // When
    InstanceAnswer second =
        client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5));

    // Then the request was not written to the closed connection (it would have failed)
    assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("1");
    assertThat(server.connections).hasValue(2);
  }

  @Test
  void connectionClose_andAnswersWithoutLength_areNotKept() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              if (n == 0) {
                write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na");
              } else {
                write(out, "HTTP/1.1 200 OK\r\n\r\nuntil the end");
              }
              return false;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);

    InstanceAnswer first =
        client.send(instance, call("GET", "/", Map.of(), ""), Duration.ofSeconds(5));
    InstanceAnswer second =
        client.send(instance, call("GET", "/", Map.of(), ""), Duration.ofSeconds(5));

    assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("a");
    assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("until the end");
    assertThat(instance.connections.idleCount()).isZero();
    assertThat(server.connections).hasValue(2);
  }

  @Test
  void chunkedAnswer_andInterimAnswers_areReadWhole_andTheConnectionKept() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              write(
                  out,
                  "HTTP/1.1 100 Continue\r\n\r\n"
                      + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
              return true;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);

    InstanceAnswer answer =
        client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5));
    InstanceAnswer again =
        client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
    assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
    assertThat(server.connections).hasValue(1);
  }

  @Test
  void headAnswer_hasNoBody_whateverItsLengthSays() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
              return true;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);

    InstanceAnswer answer =
        client.send(instance, call("HEAD", "/", Map.of(), ""), Duration.ofSeconds(5));

    assertThat(answer.body()).isEmpty();
    assertThat(answer.headers()).containsEntry("content-length", "100");
    assertThat(server.heads.poll(5, TimeUnit.SECONDS)).doesNotContain("Content-Length");
  }

  @Test
  void answerLargerThanTheLimit_failsTheRequest_andTheConnectionIsDropped() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              if (n == 0) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000));
              } else {
                write(
                    out,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n"
                        + "x".repeat(2000)
                        + "\r\n0\r\n\r\n");
              }
              return true;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1000);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () -> client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("larger than");
    }
    assertThat(instance.connections.idleCount()).isZero();
  }

  @Test
  void malformedAnswers_failTheRequest() throws Exception {
    List<String> answers =
        List.of(
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nX: " + "y".repeat(70_000) + "\r\n\r\n",
            "");
    for (String a : answers) {
      Scripted server =
          new Scripted(
              (n, head, body, out) -> {
                write(out, a);
                return false;
              });
      Instance instance = instance(server.port(), "s");
      assertThatThrownBy(
              () ->
                  client(1 << 20)
                      .send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5)))
          .as(a.length() > 60 ? a.substring(0, 60) : a)
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(HttpTimeoutException.class);
    }
  }

  @Test
  void instanceThatDoesNotAnswer_timesOut_andItsConnectionIsClosed() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              try {
                Thread.sleep(30_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return false;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);

    long start = System.nanoTime();
    assertThatThrownBy(
            () -> client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class)
        .hasMessageContaining("fn-v1-1");
    assertThat((System.nanoTime() - start) / 1e6).isBetween(250.0, 5000.0);
    assertThat(instance.connections.idleCount()).isZero();
  }

  @Test
  void noListener_isAConnectException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Instance instance = instance(port, "s");

    assertThatThrownBy(
            () ->
                client(1 << 20)
                    .send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5)))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void closedInstance_closesConnectionsGivenBack() throws Exception {
    Scripted server =
        new Scripted(
            (n, head, body, out) -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
              return true;
            });
    Instance instance = instance(server.port(), "s");
    InstanceClient client = client(1 << 20);
    client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5));
    assertThat(instance.connections.idleCount()).isEqualTo(1);

    instance.kill();
    client.send(instance, call("POST", "/", Map.of(), ""), Duration.ofSeconds(5));

    assertThat(instance.connections.idleCount()).isZero();
  }

  @Test
  void unforwardableRequests_areRefusedByPrepare_namingWhatIsWrong() {
    assertThat(new Call("G T", "/", Map.of(), new byte[0], null).prepare(Call.NOT_FORWARDED))
        .contains("method");
    assertThat(new Call("CONNECT", "/", Map.of(), new byte[0], null).prepare(Call.NOT_FORWARDED))
        .contains("CONNECT");
    assertThat(new Call("GET", "/a b", Map.of(), new byte[0], null).prepare(Call.NOT_FORWARDED))
        .contains("path");
    assertThat(
            new Call("GET", "/", Map.of("x", List.of("a\r\nb")), new byte[0], null)
                .prepare(Call.NOT_FORWARDED))
        .contains("header 'x'");
    assertThat(
            new Call("GET", "/", Map.of("x", List.of("\u0100")), new byte[0], null)
                .prepare(Call.NOT_FORWARDED))
        .contains("U+00FF");
    assertThat(
            new Call("GET", "/", Map.of("x", List.of("tab\there, é")), new byte[0], null)
                .prepare(Call.NOT_FORWARDED))
        .isNull();
  }
}
