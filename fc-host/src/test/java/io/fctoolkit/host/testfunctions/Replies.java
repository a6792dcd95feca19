package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Answers as the {@code mode} query parameter says: {@code own} (its own ce-* headers), {@code
 * structured} (a structured-mode event), {@code empty} (200, no body), {@code status=N} (that
 * status with a body); otherwise 201 echoing the request body as text.
 */
public class Replies implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String mode = request.getFirstQueryParameter("mode").orElse("");
    switch (mode) {
      case "own" -> {
        response.appendHeader("ce-specversion", "1.0");
        response.appendHeader("ce-id", "mine");
        response.appendHeader("ce-source", "/mine");
        response.appendHeader("ce-type", "com.example.mine");
        response.setContentType("text/plain");
        response.getWriter().write("own");
      }
      case "structured" -> {
        response.setContentType("application/cloudevents+json");
        response
            .getWriter()
            .write("{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\"}");
      }
      case "empty" -> response.setStatusCode(200);
      case "" -> {
        response.setStatusCode(201);
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().write("echo " + body);
      }
      default -> {
        response.setStatusCode(Integer.parseInt(mode.substring("status=".length())));
        response.setContentType("text/plain");
        response.getWriter().write("status " + mode);
      }
    }
  }
}
