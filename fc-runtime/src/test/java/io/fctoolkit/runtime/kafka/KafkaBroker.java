package io.fctoolkit.runtime.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real KRaft broker per test class (start-up is slow on small machines) and stops it,
 * killing its process tree, after the class. Register as a static field with
 * {@code @RegisterExtension}; tests use unique topic and group names via {@link #unique(String)}.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedKafka kafka;
  private Path dir;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-");
    kafka = EmbeddedKafka.builder(dir).build().start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (kafka != null) {
        kafka.kill();
      }
    } finally {
      deleteTree(dir);
    }
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** A topic or group name no other test uses. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
