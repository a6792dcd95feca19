package io.fctoolkit.runtime.testfn;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/**
 * A function whose initialisation hangs when the file HANG_IF_EXISTS names exists: it never reports
 * ready.
 */
public class NeverReady implements HttpFunction {

  public NeverReady() throws InterruptedException {
    String marker = System.getenv("HANG_IF_EXISTS");
    if (marker != null && java.nio.file.Files.exists(java.nio.file.Path.of(marker))) {
      Thread.sleep(600_000);
    }
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.getWriter().write("ready after all");
  }
}
