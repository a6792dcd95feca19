package io.fctoolkit.runtime;

import io.fctoolkit.runtime.kafka.KafkaTriggerHost;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gives an in-JVM runtime the Kafka trigger host it would find by itself (the embedded broker
 * unless the environment names one) and keeps the one its latest start made, so a test can ask it
 * for the broker's address.
 */
public final class KafkaTriggersOf {

  private final AtomicReference<KafkaTriggerHost> host = new AtomicReference<>();

  /** {@code options} with triggers on a Kafka trigger host that this object keeps. */
  public RuntimeOptions install(RuntimeOptions options) {
    return options.withTriggers(
        (invoker, stateDir, events) -> {
          KafkaTriggerHost h =
              (KafkaTriggerHost)
                  KafkaTriggerHost.factory(Map.of()).create(invoker, stateDir, events);
          host.set(h);
          return h;
        });
  }

  /** The trigger host of the runtime started last with the installed options. */
  public KafkaTriggerHost host() {
    KafkaTriggerHost h = host.get();
    if (h == null) {
      throw new IllegalStateException("no runtime was started with these options yet");
    }
    return h;
  }

  /** The address of the broker the trigger host uses. */
  public String bootstrapServers() {
    return host().bootstrapServers().orElseThrow();
  }
}
