package functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

// Written the way Google's CloudEvents samples are: only the Functions Framework API, the
// CloudEvents API and java.util.logging.
public class HelloCloudEvent implements CloudEventsFunction {
  private static final Logger logger = Logger.getLogger(HelloCloudEvent.class.getName());

  @Override
  public void accept(CloudEvent event) {
    logger.info("Event ID: " + event.getId());
    logger.info("Event Type: " + event.getType());
    logger.info("Event Source: " + event.getSource());
    if (event.getData() != null) {
      String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
      logger.info("Event Data: " + data);
    }
  }
}
