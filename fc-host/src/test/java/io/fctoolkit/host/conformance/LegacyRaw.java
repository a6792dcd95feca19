package io.fctoolkit.host.conformance;

import com.google.cloud.functions.Context;
import com.google.cloud.functions.RawBackgroundFunction;

/** A raw legacy background function: the payload as JSON text; records it and the context. */
public class LegacyRaw implements RawBackgroundFunction {
  @Override
  public void accept(String json, Context context) throws Exception {
    Recorder.record(context.eventId(), "json=" + json + "\n" + Contexts.describe(context));
    Recorder.failIfAsked(context.eventId());
  }
}
