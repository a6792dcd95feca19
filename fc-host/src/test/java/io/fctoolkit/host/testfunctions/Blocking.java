package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks until the test releases it (in-process tests), or sleeps for {@code ?sleepMs=} (child
 * process tests), so that requests stay in flight on purpose.
 */
public class Blocking implements HttpFunction {
  public static volatile CountDownLatch entered = new CountDownLatch(1);
  public static volatile CountDownLatch release = new CountDownLatch(1);
  public static volatile boolean interrupted;

  public static void reset() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    interrupted = false;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String sleep = request.getFirstQueryParameter("sleepMs").orElse(null);
    if (sleep != null) {
      System.out.println("{\"msg\":\"sleeping\"}");
      Thread.sleep(Long.parseLong(sleep));
      response.getWriter().write("slept " + sleep);
      return;
    }
    entered.countDown();
    try {
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test never released the function");
      }
    } catch (InterruptedException e) {
      interrupted = true;
      throw e;
    }
    response.getWriter().write("released");
  }
}
