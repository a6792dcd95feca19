package io.fctoolkit.host.conformance;

import com.google.cloud.functions.TypedFunction;
import java.util.List;
import java.util.Map;

/**
 * A typed function with Gson's default binding; the first name steers it: {@code boom} throws,
 * {@code nobody} answers null, {@code argument} throws IllegalArgumentException.
 */
public class Greeter implements TypedFunction<Person, Greeter.Greeting> {
  /** The answer; null fields are left out and field order is declaration order. */
  public static class Greeting {
    String message;
    int age;
    Double score;
    List<String> tags;
    Map<String, Integer> counts;
    boolean vip;
    String nothing;
  }

  @Override
  public Greeting apply(Person person) {
    if (person == null) {
      throw new IllegalStateException("no person");
    }
    if ("boom".equals(person.firstName)) {
      throw new IllegalStateException("boom");
    }
    if ("argument".equals(person.firstName)) {
      throw new IllegalArgumentException("bad person");
    }
    if ("nobody".equals(person.firstName)) {
      return null;
    }
    Greeting greeting = new Greeting();
    greeting.message = "Hello " + person.firstName + " " + person.lastName + "!";
    greeting.age = person.age;
    greeting.score = person.score;
    greeting.tags = person.tags;
    greeting.counts = person.counts;
    greeting.vip = person.vip;
    return greeting;
  }
}
