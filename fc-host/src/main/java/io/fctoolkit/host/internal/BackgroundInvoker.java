package io.fctoolkit.host.internal;

import com.google.cloud.functions.BackgroundFunction;
import com.google.cloud.functions.Context;
import com.google.cloud.functions.RawBackgroundFunction;
import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * Serves the legacy {@link BackgroundFunction} and {@link RawBackgroundFunction} as Google's
 * invoker does: the request is a legacy event (JSON with data and context) or a CloudEvent of a
 * Google event type, converted to a legacy event ({@link LegacyEvent}); success answers 200 with an
 * empty body. A typed background function gets the event data bound to its payload type, a raw one
 * the data as JSON text.
 */
final class BackgroundInvoker implements FunctionInvoker {
  private final Object function;
  private final Type payloadType; // null for a raw background function

  private BackgroundInvoker(Object function, Type payloadType) {
    this.function = function;
    this.payloadType = payloadType;
  }

  static BackgroundInvoker raw(RawBackgroundFunction function) {
    return new BackgroundInvoker(function, null);
  }

  static BackgroundInvoker typed(String target, BackgroundFunction<?> function)
      throws FunctionLoadException {
    Type payload = payloadType(function.getClass());
    if (payload == null) {
      throw new FunctionLoadException(
          target,
          "Could not determine the payload type of BackgroundFunction "
              + target
              + "; implement BackgroundFunction<T> for a concrete T, for example"
              + " BackgroundFunction<PubSubMessage>",
          null);
    }
    return new BackgroundInvoker(function, payload);
  }

  /** The T of {@code accept(T, Context)}, as the invoker finds it; null when only Object. */
  static Type payloadType(Class<?> type) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals("accept")
          && m.getParameterCount() == 2
          && m.getParameterTypes()[1] == Context.class
          && m.getParameterTypes()[0] != Object.class) {
        return m.getGenericParameterTypes()[0];
      }
    }
    return null;
  }

  @Override
  public String kind() {
    return payloadType == null ? "raw-background" : "background";
  }

  @Override
  public Object function() {
    return function;
  }

  @Override
  public void invoke(ExchangeRequest request, BufferedResponse response) throws Exception {
    LegacyEvent event = read(request);
    if (payloadType == null) {
      ((RawBackgroundFunction) function).accept(JsonBinder.toJson(event.data()), event.context());
      return;
    }
    Object payload;
    try {
      payload = JsonBinder.toJava(event.data(), payloadType, "$.data");
    } catch (JsonException e) {
      throw new BadRequestException(
          "Event data does not fit " + payloadType.getTypeName() + ": " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    BackgroundFunction<Object> typed = (BackgroundFunction<Object>) function;
    typed.accept(payload, event.context());
  }

  private static LegacyEvent read(ExchangeRequest request) throws Exception {
    if (CloudEventReader.isCloudEvent(request)) {
      return LegacyEvent.fromCloudEvent(CloudEventReader.read(request));
    }
    return LegacyEvent.fromJson(new String(request.body(), request.charset()));
  }

  @Override
  public void rehearse(ExchangeRequest request, BufferedResponse response) throws Exception {
    try {
      LegacyEvent event = read(request);
      if (payloadType != null) {
        JsonBinder.toJava(event.data(), payloadType, "$.data");
      }
    } catch (Exception e) {
      // Training bodies are not events of the user's type; the reading path is what matters.
    }
  }

  @Override
  public boolean illegalArgumentIsBadRequest() {
    return true;
  }
}
