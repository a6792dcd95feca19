package functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedWriter;
import java.io.IOException;

/** The benchmark's function: Google's hello-world HTTP sample, as users write it. */
public class HelloWorld implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    BufferedWriter writer = response.getWriter();
    writer.write("Hello World!");
  }
}
