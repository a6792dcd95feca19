package com.example;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Answers what it got (method, path, query, the x-student and ce-type headers, the body); a body
 * with "bad" is refused (400, a dead letter for a trigger), "empty" gets an empty answer (no
 * result); every request is logged on stdout, which goes to the version's log.
 */
public class Grade implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println("grading " + body);
    if (body.contains("bad")) {
      response.setStatusCode(400);
      response.getWriter().write("bad submission");
      return;
    }
    if (body.contains("empty")) {
      return;
    }
    response.setContentType("text/plain");
    response
        .getWriter()
        .write(
            "graded method="
                + request.getMethod()
                + " path="
                + request.getPath()
                + " query="
                + request.getQuery().orElse("")
                + " student="
                + request.getFirstHeader("x-student").orElse("")
                + " type="
                + request.getFirstHeader("ce-type").orElse("")
                + " body="
                + body);
  }
}
