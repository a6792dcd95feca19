package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Its constructor waits for the test: readiness must stay 503 until it returns. */
public class SlowInit implements HttpFunction {
  public static final CountDownLatch CONSTRUCTING = new CountDownLatch(1);
  public static final CountDownLatch FINISH = new CountDownLatch(1);

  public SlowInit() throws InterruptedException {
    CONSTRUCTING.countDown();
    FINISH.await(20, TimeUnit.SECONDS);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.getWriter().write("initialised");
  }
}
