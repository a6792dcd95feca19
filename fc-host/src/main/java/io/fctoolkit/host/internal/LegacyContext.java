package io.fctoolkit.host.internal;

import com.google.cloud.functions.Context;
import java.util.Map;

/** The {@link Context} a legacy background function receives; attributes are never null. */
record LegacyContext(
    String eventId,
    String timestamp,
    String eventType,
    String resource,
    Map<String, String> attributes)
    implements Context {
  LegacyContext {
    attributes = Map.copyOf(attributes);
  }
}
