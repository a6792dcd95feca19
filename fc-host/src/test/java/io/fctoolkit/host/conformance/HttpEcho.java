package io.fctoolkit.host.conformance;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP function whose answer describes what it was given; query parameters steer it: {@code
 * status}, {@code type} (content type), {@code header} (a header to add), {@code fail} ({@code
 * state}, {@code argument}: throw after or before writing), {@code raw} (write through the output
 * stream).
 */
public class HttpEcho implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    Map<String, List<String>> query = request.getQueryParameters();
    String fail = request.getFirstQueryParameter("fail").orElse("");
    if (fail.equals("argument")) {
      throw new IllegalArgumentException("bad argument from the function");
    }
    request
        .getFirstQueryParameter("status")
        .ifPresent(s -> response.setStatusCode(Integer.parseInt(s)));
    request.getFirstQueryParameter("type").ifPresent(response::setContentType);
    request.getFirstQueryParameter("header").ifPresent(h -> response.appendHeader("x-echo", h));
    String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    out.append("method=").append(request.getMethod()).append('\n');
    out.append("path=").append(request.getPath()).append('\n');
    out.append("query=").append(request.getQuery().orElse("<none>")).append('\n');
    out.append("params=").append(new TreeMap<>(query)).append('\n');
    out.append("contentType=").append(request.getContentType().orElse("<none>")).append('\n');
    out.append("charset=").append(request.getCharacterEncoding().orElse("<none>")).append('\n');
    out.append("x-test=")
        .append(request.getHeaders().getOrDefault("x-test", List.of()))
        .append('\n');
    out.append("X-Test=").append(request.getFirstHeader("X-Test").orElse("<none>")).append('\n');
    out.append("body=").append(body).append('\n');
    if (request.getFirstQueryParameter("raw").isPresent()) {
      response.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      BufferedWriter writer = response.getWriter();
      writer.write(out.toString());
    }
    if (fail.equals("state")) {
      throw new IllegalStateException("failed after writing");
    }
  }
}
