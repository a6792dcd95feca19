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
    function.accept(CloudEventReader.read(request));
  }

  @Override
  public void rehearse(ExchangeRequest request, BufferedResponse response) throws Exception {
    CloudEvent event;
    try {
      event = CloudEventReader.read(request);
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
