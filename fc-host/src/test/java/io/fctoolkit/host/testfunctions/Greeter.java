package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.TypedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A typed function over records; a blank name is the caller's mistake (400). */
public class Greeter implements TypedFunction<Greeter.Request, Greeter.Reply> {
  public record Request(String name, int times, List<String> tags, Map<String, Double> scores) {}

  public record Reply(List<String> greetings, int count, String missing, Kind kind) {}

  public enum Kind {
    FRIENDLY
  }

  @Override
  public Reply apply(Request request) {
    if (request.name() == null || request.name().isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < request.times(); i++) {
      out.add("Hello " + request.name() + (request.tags() == null ? "" : " " + request.tags()));
    }
    return new Reply(out, out.size(), null, Kind.FRIENDLY);
  }
}
