package com.example.hello;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Greets whoever the request body names. The same function serves HTTP calls ({@code fc:invoke})
 * and the {@code greetings} Kafka trigger: each record arrives as a request whose body is the
 * record's value, and the answer is written to the trigger's {@code onSuccessTopic}.
 */
public class HelloFunction implements HttpFunction {

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    String name = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    name = name.strip();
    response.setContentType("text/plain; charset=utf-8");
    response.getWriter().write("Hello, " + (name.isEmpty() ? "world" : name) + "!\n");
  }
}
