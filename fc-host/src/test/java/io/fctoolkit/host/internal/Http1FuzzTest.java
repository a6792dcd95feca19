package io.fctoolkit.host.internal;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fctoolkit.host.testfunctions.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Feeds arbitrary bytes to the host as one connection's input and holds the answer to {@link
 * ReferenceHttp1}: the function is called exactly for the well-formed requests (with their bodies),
 * a malformed request gets a 4xx (505 only for an unsupported HTTP version) and the connection
 * closes, nothing answers 5xx, nothing hangs, and nothing is logged as "function threw".
 *
 * <p>{@code mvn test} replays the corpus in {@code Http1FuzzTestInputs/requests} (regression mode).
 * To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -o -pl fc-host test -Dtest=Http1FuzzTest} (at most {@link
 * FuzzTest#maxDuration} below); findings land in the same folder as {@code crash-*} files.
 */
class Http1FuzzTest {
  private static InProcessHost host;

  @BeforeAll
  static void start() {
    host = InProcessHost.start("io.fctoolkit.host.testfunctions.Recorder", "FC_LOG_REQUESTS", "0");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @FuzzTest(maxDuration = "5m")
  void requests(byte[] input) throws Exception {
    Recorder.CALLS.clear();
    List<ReferenceHttp1.Outcome> expected = ReferenceHttp1.read(input);
    byte[] output;
    // Jazzer's SSRF detector forbids sockets unless allowed, per run: this test talks to the host
    // on loopback only.
    try (SilentCloseable loopback =
        BugDetectors.allowNetworkConnections(
            (hostName, port) -> hostName.equals("localhost") && port == host.port)) {
      output = exchange(input);
    }
    check(input, expected, output);
    String log = host.log();
    if (log.contains("function threw") || log.contains("request failed")) {
      throw new AssertionError(describe(input, expected, output) + "\nlog: " + log);
    }
  }

  private static byte[] exchange(byte[] input) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), host.port)) {
      socket.setSoLinger(true, 0); // no TIME_WAIT: fuzzing opens a connection per input
      socket.setSoTimeout(10_000);
      try {
        socket.getOutputStream().write(input);
        socket.shutdownOutput();
      } catch (IOException e) {
        // The server may close after a 4xx before it read everything; read what it answered.
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("The host neither answered nor closed within 10 s", e);
      } catch (IOException reset) {
        // A reset after the answer (unread input at close) is fine: the answer is what counts.
      }
      return out.toByteArray();
    }
  }

  private static void check(byte[] input, List<ReferenceHttp1.Outcome> expected, byte[] output) {
    Responses responses = new Responses(output);
    List<String> calls = new ArrayList<>();
    for (ReferenceHttp1.Outcome outcome : expected) {
      if (outcome instanceof ReferenceHttp1.Served served) {
        int status = responses.next(served.head());
        boolean ok = served.control() ? status == 200 || status == 404 : status == 200;
        if (!ok) {
          fail(input, expected, output, "a well-formed request got " + status);
        }
        if (!served.control()) {
          calls.add(served.method() + " " + served.target());
          calls.add("body " + served.body());
        }
      } else if (outcome instanceof ReferenceHttp1.Rejected rejected) {
        int status = responses.next(false);
        boolean ok =
            (status >= 400 && status < 500)
                || (status == 505 && rejected.unsupportedVersionPossible());
        if (!ok) {
          fail(
              input,
              expected,
              output,
              "a malformed request (" + rejected.why() + ") got " + status);
        }
      } else {
        String calledAs = ((ReferenceHttp1.Truncated) outcome).calledAs();
        if (calledAs != null) {
          calls.add(calledAs);
        }
        int status = responses.hasMore() ? responses.next(false) : 0;
        if (status != 0 && (status < 400 || status >= 500)) {
          fail(input, expected, output, "a truncated request got " + status);
        }
      }
    }
    if (responses.hasMore()) {
      fail(input, expected, output, "more responses than requests the reference accepts");
    }
    List<String> actual = new ArrayList<>(Recorder.CALLS);
    if (!actual.equals(calls)) {
      fail(input, expected, output, "function calls " + actual + ", expected " + calls);
    }
  }

  private static void fail(
      byte[] input, List<ReferenceHttp1.Outcome> expected, byte[] output, String what) {
    throw new AssertionError(what + "\n" + describe(input, expected, output));
  }

  private static String describe(
      byte[] input, List<ReferenceHttp1.Outcome> expected, byte[] output) {
    return "input: " + escape(input) + "\nreference: " + expected + "\noutput: " + escape(output);
  }

  private static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }

  /** The responses in a connection's output, framed by Content-Length; 1xx are skipped. */
  private static final class Responses {
    private final String text;
    private int pos;

    Responses(byte[] output) {
      this.text = new String(output, StandardCharsets.ISO_8859_1);
    }

    boolean hasMore() {
      return pos < text.length();
    }

    /** The next final response's status; its body is skipped (none for HEAD); 0 when none. */
    int next(boolean head) {
      while (pos < text.length()) {
        int end = text.indexOf("\r\n\r\n", pos);
        if (end < 0 || !text.startsWith("HTTP/1.1 ", pos)) {
          throw new AssertionError("Not an HTTP response at " + pos + ": " + text);
        }
        int status = Integer.parseInt(text.substring(pos + 9, pos + 12));
        String headText = text.substring(pos, end);
        pos = end + 4;
        if (status < 200) {
          continue;
        }
        int at = headText.indexOf("\r\nContent-Length: ");
        if (at >= 0 && !head) {
          int eol = headText.indexOf("\r\n", at + 2);
          pos += Integer.parseInt(headText.substring(at + 18, eol < 0 ? headText.length() : eol));
        }
        return status;
      }
      return 0;
    }
  }
}
