package io.fctoolkit.host.internal;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/**
 * Serves a {@link CloudEventsFunction}: the request becomes a {@link CloudEvent}; success answers
 * 200 with an empty body (no reply event), as Google's invoker does.
 */
final class CloudEventInvoker implements FunctionInvoker {
  private final CloudEventsFunction function;

  CloudEventInvoker(CloudEventsFunction function) {
    this.function = function;
  }

  @Override
  public String kind() {
    return "cloudevent";
  }

  @Override
  public Object function() {
    return function;
  }

  @Override
  public void invoke(ExchangeRequest request, BufferedResponse response) throws Exception {
    function.accept(read(request));
  }

  /**
   * The request's CloudEvent; a legacy event of a Google type is converted, as the invoker does.
   */
  private static CloudEvent read(ExchangeRequest request) throws Exception {
    if (CloudEventReader.isCloudEvent(request)) {
      return CloudEventReader.read(request);
    }
    String body = new String(request.body(), request.charset());
    if (body.isBlank()) {
      return CloudEventReader.read(request); // its "Not a CloudEvent" answer names what is missing
    }
    return LegacyToCloudEvent.convert(LegacyEvent.fromJson(body));
  }

  @Override
  public void rehearse(ExchangeRequest request, BufferedResponse response) throws Exception {
    CloudEvent event;
    try {
      event = read(request);
    } catch (BadRequestException e) {
      return; // training also sends plain requests; they only exercise the HTTP path
    }
    event.getId();
    event.getSource();
    event.getType();
    event.getTime();
    event.getExtensionNames();
    if (event.getData() != null) {
      event.getData().toBytes();
    }
  }

  @Override
  public boolean illegalArgumentIsBadRequest() {
    return true;
  }
}
