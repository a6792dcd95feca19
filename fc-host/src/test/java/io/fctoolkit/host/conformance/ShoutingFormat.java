package io.fctoolkit.host.conformance;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.cloud.functions.TypedFunction;
import java.io.BufferedWriter;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * A typed function that brings its own wire format (plain text, not JSON): the invoker and the host
 * must both use it instead of their JSON binding.
 */
public class ShoutingFormat implements TypedFunction<String, String> {
  @Override
  public String apply(String text) {
    if (text.equals("fail")) {
      throw new IllegalStateException("refused");
    }
    return text.toUpperCase(java.util.Locale.ROOT) + "!";
  }

  @Override
  public WireFormat getWireFormat() {
    return new WireFormat() {
      @Override
      public void serialize(Object object, HttpResponse response) throws Exception {
        response.setContentType("text/x-shout");
        response.appendHeader("x-format", "shout");
        BufferedWriter writer = response.getWriter();
        writer.write(String.valueOf(object));
      }

      @Override
      public Object deserialize(HttpRequest request, Type type) throws Exception {
        String text = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (text.equals("unreadable")) {
          throw new IllegalArgumentException("cannot read " + text);
        }
        return text;
      }
    };
  }
}
