package io.fctoolkit.runtime.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A test function for triggers by the body it gets: {@code bad...} is a permanent error (400,
 * dead-lettered at once), {@code fail...} a transient one (500, retried), {@code slow...} takes 100
 * ms; anything else is answered at once with the version ({@code FC_VERSION}) that took it.
 */
public class Picky implements HttpFunction {

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (body.startsWith("bad")) {
      response.setStatusCode(400);
      response.getWriter().write("bad record: " + body);
      return;
    }
    if (body.startsWith("fail")) {
      response.setStatusCode(500);
      response.getWriter().write("failing on purpose");
      return;
    }
    if (body.startsWith("slow")) {
      Thread.sleep(100);
    }
    response.getWriter().write("v" + System.getenv("FC_VERSION") + " took " + body);
  }
}
