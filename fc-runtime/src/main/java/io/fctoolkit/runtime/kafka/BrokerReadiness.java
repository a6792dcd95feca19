package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Waits for a just-launched broker to serve consumers, or says why it does not. */
final class BrokerReadiness {
  private final BrokerDirectory directory;
  private final Duration startTimeout;

  /**
   * @param directory the broker's data directory, whose log explains a failed start
   * @param startTimeout how long a broker may take to answer
   */
  BrokerReadiness(BrokerDirectory directory, Duration startTimeout) {
    this.directory = requireNonNull(directory, "directory");
    this.startTimeout = requireNonNull(startTimeout, "startTimeout");
  }

  /**
   * Returns once the broker process {@code p} answers at {@code bootstrapServers}; throws if it
   * exits, does not answer within the start timeout, or {@code wanted} turns false meanwhile.
   */
  void await(Process p, String bootstrapServers, BooleanSupplier wanted) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    Exception last = null;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (!wanted.getAsBoolean()) {
          throw new EmbeddedKafkaException(directory.dir(), "Stopped while starting", null, null);
        }
        if (!p.isAlive()) {
          throw new EmbeddedKafkaException(
              directory.dir(),
              "Kafka broker exited with code "
                  + p.exitValue()
                  + " while starting: "
                  + directory.logTail(),
              "see broker.log in the data directory",
              null);
        }
        try {
          // The group coordinator answering means the broker can serve consumers, not just
          // metadata: listing groups goes through it.
          admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
          admin.listTopics().names().get(3, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EmbeddedKafkaException(
              directory.dir(), "Interrupted waiting for Kafka", null, e);
        }
        sleep(200);
      }
    }
    throw new EmbeddedKafkaException(
        directory.dir(),
        "Kafka broker did not answer within " + startTimeout.toSeconds() + " s",
        "see broker.log in the data directory",
        last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
