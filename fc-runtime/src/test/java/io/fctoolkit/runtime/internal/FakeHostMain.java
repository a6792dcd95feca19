package io.fctoolkit.runtime.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for fc-host's side of the instance-secret contract, started as a real child JVM: with
 * {@code FC_AUTH=stdin} it reads the secret from its first stdin line and answers 403 to a request
 * without it; it reports its port with the host's {@code ready} line. {@code ?read=FILE} answers
 * that file's content, or why it could not be read: what a function could see.
 */
public final class FakeHostMain {

  private FakeHostMain() {}

  public static void main(String[] args) throws Exception {
    String secret = null;
    if ("stdin".equals(System.getenv("FC_AUTH"))) {
      secret =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))
              .readLine();
    }
    String expected = secret;
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          String given = ex.getRequestHeaders().getFirst("x-fc-instance-secret");
          String query = ex.getRequestURI().getRawQuery();
          String answer = expected == null ? "no secret configured" : "ok";
          if (query != null && query.startsWith("read=")) {
            // What a function could read: the content of a file, or why not.
            try {
              answer = java.nio.file.Files.readString(java.nio.file.Path.of(query.substring(5)));
            } catch (java.io.IOException | RuntimeException e) {
              answer = "unreadable: " + e;
            }
          }
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          int status = expected != null && expected.equals(given) ? 200 : 403;
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    System.out.println("{\"msg\":\"ready\",\"port\":" + server.getAddress().getPort() + "}");
    System.out.flush();
  }
}
