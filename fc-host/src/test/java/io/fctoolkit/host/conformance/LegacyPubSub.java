package io.fctoolkit.host.conformance;

import com.google.cloud.functions.BackgroundFunction;
import com.google.cloud.functions.Context;
import java.util.TreeMap;

/** A legacy background function bound to a payload class; records payload and context. */
public class LegacyPubSub implements BackgroundFunction<PubSubMessage> {
  @Override
  public void accept(PubSubMessage message, Context context) throws Exception {
    StringBuilder out = new StringBuilder();
    if (message == null) {
      out.append("message=null\n");
    } else {
      out.append("data=").append(message.data).append('\n');
      out.append("attributes=")
          .append(message.attributes == null ? null : new TreeMap<>(message.attributes))
          .append('\n');
      out.append("messageId=").append(message.messageId).append('\n');
      out.append("publishTime=").append(message.publishTime).append('\n');
    }
    out.append(Contexts.describe(context));
    Recorder.record(context.eventId(), out.toString());
    Recorder.failIfAsked(context.eventId());
  }
}
