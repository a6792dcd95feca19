package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records every call ({@code METHOD target body}, the body read to the end as ISO-8859-1) and
 * answers 200 with the body's length and the instance-secret header it saw (which must be none).
 */
public class Recorder implements HttpFunction {
  public static final Queue<String> CALLS = new ConcurrentLinkedQueue<>();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    String target = request.getPath() + request.getQuery().map(q -> "?" + q).orElse("");
    // Record before reading: a call whose body then fails still counts as a call.
    CALLS.add(request.getMethod() + " " + target);
    byte[] body = request.getInputStream().readAllBytes();
    CALLS.add("body " + new String(body, StandardCharsets.ISO_8859_1));
    response.setStatusCode(200);
    response
        .getWriter()
        .write(
            "len="
                + body.length
                + " secret="
                + request.getFirstHeader("x-fc-instance-secret").orElse("-"));
  }
}
