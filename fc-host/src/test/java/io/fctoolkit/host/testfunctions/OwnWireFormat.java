package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.cloud.functions.TypedFunction;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** Brings its own wire format (plain text), which the host must use instead of JSON. */
public class OwnWireFormat implements TypedFunction<String, String> {
  @Override
  public String apply(String in) {
    return in.toUpperCase();
  }

  @Override
  public WireFormat getWireFormat() {
    return new WireFormat() {
      @Override
      public void serialize(Object object, HttpResponse response) throws Exception {
        response.setContentType("text/plain");
        response.getWriter().write("<" + object + ">");
      }

      @Override
      public Object deserialize(HttpRequest request, Type type) throws Exception {
        return new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
    };
  }
}
