package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SlowClientsTest {

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void halfHeads_doNotStarveHealth() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
          s.getOutputStream().write("GET /v1/health HTTP/1.1\r\nHost: x\r\n".getBytes());
          s.getOutputStream().flush();
          slow.add(s);
        }
        Thread.sleep(300);
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
          s.setSoTimeout(3000);
          OutputStream out = s.getOutputStream();
          out.write("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
          out.flush();
          InputStream in = s.getInputStream();
          String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          assertThat(answer).startsWith("HTTP/1.1 200");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      } finally {
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }
}
