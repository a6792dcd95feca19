package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;

/** Echoes method, path, a query parameter, a header and the body. */
public class Echo implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    response.setStatusCode(201);
    response.setContentType("text/plain; charset=utf-8");
    response.appendHeader("X-Echo", "yes");
    BufferedWriter writer = response.getWriter();
    writer.write(request.getMethod() + " " + request.getPath());
    writer.write(" name=" + request.getFirstQueryParameter("name").orElse("-"));
    writer.write(" header=" + request.getFirstHeader("x-test").orElse("-"));
    writer.write(" body=" + body);
  }
}
