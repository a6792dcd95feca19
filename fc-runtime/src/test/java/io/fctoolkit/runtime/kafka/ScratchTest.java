package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaBroker.unique;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;

import io.fctoolkit.core.TriggerSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScratchTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  @Test
  void idleClose() {
    String topic = unique("idle");
    FakeFunction f = FakeFunction.echo(5);
    TriggerEngineConfig cfg =
        TriggerEngineConfig.defaults(KAFKA.bootstrapServers())
            .withEvents(e -> System.err.println("EVENT " + e.message()))
            .withDrainTimeout(Duration.ofSeconds(20));
    TriggerEngine a = new TriggerEngine(f, cfg);
    TriggerEngine b = new TriggerEngine(f, cfg.withInstanceId("b"));
    TriggerSpec spec =
        TriggerSpec.builder("t", "fn", "live", topic).deadLetterTopic(topic + "-dlq").build();
    long t0 = System.nanoTime();
    a.put(spec);
    await(Duration.ofSeconds(60), () -> !a.status("fn", "t").partitions().isEmpty());
    System.err.println(
        "A assigned after " + (System.nanoTime() - t0) / 1_000_000 + " ms " + a.status("fn", "t"));
    b.put(spec);
    await(Duration.ofSeconds(60), () -> !b.status("fn", "t").partitions().isEmpty());
    System.err.println(
        "B assigned after "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms "
            + b.status("fn", "t")
            + a.status("fn", "t"));
    long t1 = System.nanoTime();
    a.close();
    System.err.println("A closed in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
    t1 = System.nanoTime();
    b.close();
    System.err.println("B closed in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
  }
}
