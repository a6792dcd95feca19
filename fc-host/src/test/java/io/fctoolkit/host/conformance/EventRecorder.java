package io.fctoolkit.host.conformance;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/** A CloudEvents function that records every attribute, extension and the data it received. */
public class EventRecorder implements CloudEventsFunction {
  @Override
  public void accept(CloudEvent event) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("specversion=").append(event.getSpecVersion()).append('\n');
    out.append("id=").append(event.getId()).append('\n');
    out.append("source=").append(event.getSource()).append('\n');
    out.append("type=").append(event.getType()).append('\n');
    out.append("subject=").append(event.getSubject()).append('\n');
    out.append("time=").append(event.getTime()).append('\n');
    out.append("datacontenttype=").append(event.getDataContentType()).append('\n');
    out.append("dataschema=").append(event.getDataSchema()).append('\n');
    for (String name : new TreeSet<>(event.getExtensionNames())) {
      Object value = event.getExtension(name);
      out.append("ext.")
          .append(name)
          .append('=')
          .append(value)
          .append(" (")
          .append(value == null ? "null" : value.getClass().getSimpleName())
          .append(")\n");
    }
    out.append("data=")
        .append(
            event.getData() == null
                ? "<none>"
                : new String(event.getData().toBytes(), StandardCharsets.UTF_8))
        .append('\n');
    Recorder.record(event.getId(), out.toString());
    Recorder.failIfAsked(event.getType());
  }
}
