package io.fctoolkit.runtime.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bad release for rollout tests: answers like {@link Hello} ({@code GREETING} and the body), but
 * fails {@code FAIL_PERCENT} percent of requests at random with status {@code FAIL_STATUS} (500 by
 * default) and takes {@code DELAY_MS} longer than asked.
 */
public class Flaky implements HttpFunction {

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    long delay = Long.parseLong(System.getenv().getOrDefault("DELAY_MS", "0"));
    String sleep = request.getFirstQueryParameter("sleep").orElse("0");
    long total = delay + Long.parseLong(sleep);
    if (total > 0) {
      Thread.sleep(total);
    }
    double failPercent = Double.parseDouble(System.getenv().getOrDefault("FAIL_PERCENT", "0"));
    byte[] body = request.getInputStream().readAllBytes();
    if (ThreadLocalRandom.current().nextDouble(100.0) < failPercent) {
      response.setStatusCode(Integer.parseInt(System.getenv().getOrDefault("FAIL_STATUS", "500")));
      response.getWriter().write("flaky: failed on purpose");
      return;
    }
    String greeting = System.getenv().getOrDefault("GREETING", "hello");
    response.setContentType("text/plain");
    response
        .getWriter()
        .write(greeting + (body.length > 0 ? " " + new String(body, StandardCharsets.UTF_8) : ""));
  }
}
