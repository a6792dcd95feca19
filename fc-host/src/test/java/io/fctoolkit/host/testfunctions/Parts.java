package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Lists the multipart/form-data parts it receives. */
public class Parts implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    BufferedWriter writer = response.getWriter();
    for (Map.Entry<String, HttpRequest.HttpPart> e : request.getParts().entrySet()) {
      HttpRequest.HttpPart part = e.getValue();
      writer.write(
          e.getKey()
              + "|"
              + part.getFileName().orElse("-")
              + "|"
              + part.getContentType().orElse("-")
              + "|"
              + new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              + "\n");
    }
  }
}
