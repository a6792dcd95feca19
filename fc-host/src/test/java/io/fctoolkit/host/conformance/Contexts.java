package io.fctoolkit.host.conformance;

import com.google.cloud.functions.Context;
import java.util.TreeMap;

final class Contexts {
  private Contexts() {}

  static String describe(Context context) {
    return "eventId="
        + context.eventId()
        + "\ntimestamp="
        + context.timestamp()
        + "\neventType="
        + context.eventType()
        + "\nresource="
        + context.resource()
        + "\nattributes="
        + new TreeMap<>(context.attributes())
        + "\n";
  }
}
