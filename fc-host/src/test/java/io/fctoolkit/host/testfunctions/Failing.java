package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** Writes some output, then throws: the client must see a 500 JSON error, not the output. */
public class Failing implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.getWriter().write("partial output");
    throw new IllegalStateException("boom in " + request.getPath());
  }
}
