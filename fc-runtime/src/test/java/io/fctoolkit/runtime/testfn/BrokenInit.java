package io.fctoolkit.runtime.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** A function whose constructor fails: the host exits with status 3. */
public class BrokenInit implements HttpFunction {

  public BrokenInit() {
    throw new IllegalStateException("database unreachable at init");
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) {}
}
