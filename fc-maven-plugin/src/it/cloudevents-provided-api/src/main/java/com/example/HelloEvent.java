package com.example;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

public class HelloEvent implements CloudEventsFunction {
  @Override
  public void accept(CloudEvent event) {
    System.out.println("Event received: " + event.getId() + " " + event.getType());
  }
}
