package com.example;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** A function the host cannot create: its only constructor takes an argument. */
public class Configured implements HttpFunction {
  private final String greeting;

  public Configured(String greeting) {
    this.greeting = greeting;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.getWriter().write(greeting);
  }
}
