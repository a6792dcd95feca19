package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A runtime stand-in for fault tests: a trigger engine with an I/O-waiting echo function, run in a
 * child JVM so that a test can {@code kill -9} it. Arguments: bootstrap topic instanceId
 * maxInFlight delayMillis ordering.
 */
public final class TriggerWorkerMain {
  private TriggerWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String instanceId = args[2];
    int maxInFlight = Integer.parseInt(args[3]);
    long delay = Long.parseLong(args[4]);
    Ordering ordering = Ordering.valueOf(args[5]);
    FakeFunction function =
        new FakeFunction(
            1,
            r ->
                new FakeFunction.Answer(
                    200,
                    FakeFunction.text(r),
                    delay / 2 + ThreadLocalRandom.current().nextLong(delay + 1)));
    TriggerEngine engine =
        new TriggerEngine(
            function,
            TriggerEngineConfig.builder(bootstrap)
                .instanceId(instanceId)
                .events(e -> System.out.println(e.level() + " " + e.message()))
                .build());
    engine.put(
        TriggerSpec.builder("worker", "fn", "live", topic)
            .ordering(ordering)
            .maxInFlight(maxInFlight)
            .deadLetterTopic(topic + "-dlq")
            .onSuccessTopic(topic + "-out")
            .retry(new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(1)))
            .partitions(4)
            .build());
    System.out.println("ready");
    System.out.flush();
    // The status every 5 s, so that a stalled fault test shows what the trigger was doing.
    while (true) {
      Thread.sleep(5000);
      System.out.println("status " + engine.status("fn", "worker"));
      System.out.println("dispatcher " + engine.describe("fn", "worker"));
      System.out.flush();
    }
  }
}
