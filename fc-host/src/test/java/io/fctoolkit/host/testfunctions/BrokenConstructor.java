package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** Fails at load time, as a function with a missing setting would. */
public class BrokenConstructor implements HttpFunction {
  public BrokenConstructor() {
    throw new IllegalStateException("DATABASE_URL is not set");
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {}
}
