package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.FcException;
import java.nio.file.Path;

/** The embedded Kafka broker failed to format, start, answer or stop. */
public class EmbeddedKafkaException extends FcException {
  private static final long serialVersionUID = 1L;
  private final transient Path dataDir;

  public EmbeddedKafkaException(Path dataDir, String message, String hint, Throwable cause) {
    super(message + " (data in " + dataDir + ")", hint, cause);
    this.dataDir = dataDir;
  }

  /** The broker's data directory, where {@code broker.log} explains most failures. */
  public Path dataDir() {
    return dataDir;
  }
}
