package io.fctoolkit.runtime.kafka;

import java.nio.file.Path;

/** Starts an embedded broker on the given data directory and waits: a parent to kill in tests. */
public final class EmbeddedKafkaMain {
  private EmbeddedKafkaMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.builder(Path.of(args[0])).build().start();
    System.out.println("ready " + kafka.bootstrapServers());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
