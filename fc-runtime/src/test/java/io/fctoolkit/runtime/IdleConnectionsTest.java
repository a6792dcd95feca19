package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many clients with kept-alive connections (a burst): the control API keeps each one open after its
 * answer, so a client's next request on it is answered. The JDK server reads its idle bound once
 * per JVM, so this runs in a child JVM that starts a runtime before anything else.
 */
class IdleConnectionsTest {

  private static final int CLIENTS = 260;

  /** The child: a runtime, {@link #CLIENTS} connections, two requests on each; prints answers. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Path dir = Files.createTempDirectory("fc-idle");
      try (RuntimeServer server = RuntimeServer.start(RuntimeOptions.forTest(dir))) {
        List<Socket> sockets = new ArrayList<>();
        int answered = 0;
        try {
          for (int round = 0; round < 2; round++) {
            for (int i = 0; i < CLIENTS; i++) {
              if (round == 0) {
                Socket s = RawHttp.connect(server.port());
                s.setSoTimeout(10_000);
                sockets.add(s);
              }
              Socket s = sockets.get(i);
              try {
                s.getOutputStream()
                    .write(
                        "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                if (readAnswer(s.getInputStream()).startsWith("HTTP/1.1 200")) {
                  answered++;
                }
              } catch (java.io.IOException e) {
                // closed by the server: not answered
              }
            }
          }
        } finally {
          for (Socket s : sockets) {
            s.close();
          }
        }
        System.out.print("answered=" + answered);
      } finally {
        try (var files = Files.walk(dir)) {
          files
              .sorted(java.util.Comparator.reverseOrder())
              .map(Path::toFile)
              .forEach(f -> f.delete());
        }
      }
    }

    /** One answer with a Content-Length body; "" when the server closed first. */
    private static String readAnswer(InputStream in) throws java.io.IOException {
      StringBuilder head = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0) {
        head.append((char) b);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      String text = head.toString();
      int at = text.toLowerCase().indexOf("content-length:");
      if (at >= 0) {
        int end = text.indexOf("\r\n", at);
        in.readNBytes(Integer.parseInt(text.substring(at + 15, end).trim()));
      }
      return text;
    }
  }

  @Test
  void keptAliveConnections_beyondTheJdkDefaultOf200_areNotClosedAfterTheirAnswer()
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      // Every request of both rounds answered: none of the kept connections was closed.
      assertThat(out).endsWith("answered=" + 2 * CLIENTS);
    } finally {
      p.destroyForcibly();
    }
  }
}
