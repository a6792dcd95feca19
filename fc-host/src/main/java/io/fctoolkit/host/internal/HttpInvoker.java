package io.fctoolkit.host.internal;

import com.google.cloud.functions.HttpFunction;

/** Serves an {@link HttpFunction}: the request and response pass through unchanged. */
final class HttpInvoker implements FunctionInvoker {
  private final HttpFunction function;

  HttpInvoker(HttpFunction function) {
    this.function = function;
  }

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public Object function() {
    return function;
  }

  @Override
  public void invoke(ExchangeRequest request, BufferedResponse response) throws Exception {
    function.service(request, response);
  }

  @Override
  public void rehearse(ExchangeRequest request, BufferedResponse response) throws Exception {
    // What a typical HTTP function touches: query, headers, body, writer.
    request.getQueryParameters();
    request.getFirstQueryParameter("name");
    request.getFirstHeader("Content-Type");
    request.getUri();
    String body = new String(request.body(), request.charset());
    response.setContentType("text/plain; charset=utf-8");
    response.appendHeader("x-fc-train", "1");
    response.getWriter().write("trained " + body.length());
  }

  @Override
  public boolean illegalArgumentIsBadRequest() {
    // An HttpFunction chooses its own status codes; an escaping exception is a server error,
    // as in Google's invoker.
    return false;
  }
}
