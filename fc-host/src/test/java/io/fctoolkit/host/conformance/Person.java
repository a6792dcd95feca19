package io.fctoolkit.host.conformance;

import com.google.gson.annotations.SerializedName;
import java.util.List;
import java.util.Map;

/**
 * A typed function's request as Google's typed sample writes it: Gson's {@code @SerializedName} on
 * the fields, which neither Google's invoker nor fc-host reads (the names stay the fields').
 */
public class Person {
  @SerializedName("first_name")
  String firstName;

  @SerializedName("last_name")
  String lastName;

  int age;
  Double score;
  List<String> tags;
  Map<String, Integer> counts;
  boolean vip;
}
