package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.TriggerHost;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The {@link java.util.ServiceLoader} entry that gives the runtime server Kafka triggers. It is the
 * process edge, so it reads the process environment once and hands it on.
 */
public final class KafkaTriggerHostFactory implements TriggerHost.Factory {
  @Override
  public TriggerHost create(InProcessInvoker invoker, Path stateDir, Consumer<FcEvent> events) {
    return KafkaTriggerHost.factory(System.getenv()).create(invoker, stateDir, events);
  }
}
