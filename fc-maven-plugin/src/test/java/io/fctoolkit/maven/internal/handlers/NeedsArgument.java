package io.fctoolkit.maven.internal.handlers;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/** A function without a no-argument constructor. */
public class NeedsArgument implements CloudEventsFunction {
  private final String name;

  public NeedsArgument(String name) {
    this.name = name;
  }

  @Override
  public void accept(CloudEvent event) {
    System.out.println(name + event.getId());
  }
}
