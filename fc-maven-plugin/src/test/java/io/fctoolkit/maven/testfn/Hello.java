package io.fctoolkit.maven.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** The smallest real function, imaged and published by the plugin's runtime tests. */
public class Hello implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.getWriter().write("hello");
  }
}
