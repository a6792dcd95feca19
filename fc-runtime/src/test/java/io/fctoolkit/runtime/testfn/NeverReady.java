package io.fctoolkit.runtime.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** A function whose initialisation hangs when NEVER_READY is set: it never reports ready. */
public class NeverReady implements HttpFunction {

  public NeverReady() throws InterruptedException {
    if (System.getenv("NEVER_READY") != null) {
      Thread.sleep(600_000);
    }
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.getWriter().write("ready after all");
  }
}
