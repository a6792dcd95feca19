package io.fctoolkit.runtime.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test function: greets with {@code GREETING}; {@code ?sleep=MS} works that long; {@code
 * ?crash=1} kills its own JVM; {@code ?env=NAME} answers that environment variable; {@code
 * ?crashOnce=FILE} crashes unless FILE exists (and creates it); {@code ?echo=1} answers the method,
 * path, query and the {@code x-echo} header it got.
 */
public class Hello implements HttpFunction {

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String sleep = request.getFirstQueryParameter("sleep").orElse(null);
    if (sleep != null) {
      Thread.sleep(Long.parseLong(sleep));
    }
    if (request.getFirstQueryParameter("crash").isPresent()) {
      Runtime.getRuntime().halt(7);
    }
    String once = request.getFirstQueryParameter("crashOnce").orElse(null);
    if (once != null) {
      Path marker = Path.of(once);
      if (!Files.exists(marker)) {
        Files.writeString(marker, "crashed");
        Runtime.getRuntime().halt(7);
      }
    }
    if (request.getFirstQueryParameter("echo").isPresent()) {
      response
          .getWriter()
          .write(
              request.getMethod()
                  + " "
                  + request.getPath()
                  + " "
                  + request.getQuery().orElse("")
                  + " "
                  + request.getFirstHeader("x-echo").orElse(""));
      return;
    }
    String env = request.getFirstQueryParameter("env").orElse(null);
    if (env != null) {
      response.getWriter().write(String.valueOf(System.getenv(env)));
      return;
    }
    String greeting = System.getenv().getOrDefault("GREETING", "hello");
    response.setContentType("text/plain");
    byte[] body = request.getInputStream().readAllBytes();
    response
        .getWriter()
        .write(greeting + (body.length > 0 ? " " + new String(body, StandardCharsets.UTF_8) : ""));
  }
}
