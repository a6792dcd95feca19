package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;

/** Keeps the last event; {@code type} values ending in ".invalid" or ".crash" make it throw. */
public class RecordingEvents implements CloudEventsFunction {
  public static volatile CloudEvent last;

  @Override
  public void accept(CloudEvent event) {
    last = event;
    if (event.getType().endsWith(".invalid")) {
      throw new IllegalArgumentException(
          "bad payload "
              + (event.getData() == null
                  ? ""
                  : new String(event.getData().toBytes(), StandardCharsets.UTF_8)));
    }
    if (event.getType().endsWith(".crash")) {
      throw new IllegalStateException("database down");
    }
  }
}
