package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Alias;
import java.time.Duration;

/**
 * How fc-toolkit maps onto one Knative namespace.
 *
 * @param namespace the Kubernetes namespace that holds the functions
 * @param primaryAlias the alias that owns the default route's percent split; when a function has no
 *     alias of this name, its first alias (in creation order) owns it
 * @param kafkaBootstrapServers the Kafka cluster for triggers that name none (comma separated), or
 *     null
 * @param readyTimeout how long {@code publish} waits for the new revision to become Ready; zero
 *     does not wait (rendering, tests against a mock API server)
 */
public record KnativeOptions(
    String namespace, String primaryAlias, String kafkaBootstrapServers, Duration readyTimeout) {

  /** The default primary alias. */
  public static final String DEFAULT_PRIMARY_ALIAS = "prod";

  public KnativeOptions {
    requireNonNull(namespace, "namespace");
    requireNonNull(readyTimeout, "readyTimeout");
    if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "namespace must be a DNS label (lower case letters, digits, '-'), was '"
              + namespace
              + "'");
    }
    if (primaryAlias == null || primaryAlias.isBlank()) {
      primaryAlias = DEFAULT_PRIMARY_ALIAS;
    }
    Alias.checkName(primaryAlias);
    if (kafkaBootstrapServers != null && kafkaBootstrapServers.isBlank()) {
      kafkaBootstrapServers = null;
    }
    if (readyTimeout.isNegative()) {
      throw new IllegalArgumentException("readyTimeout must not be negative, was " + readyTimeout);
    }
  }

  /** Options with the default primary alias, no default Kafka cluster and no readiness wait. */
  public static KnativeOptions of(String namespace) {
    return new KnativeOptions(namespace, DEFAULT_PRIMARY_ALIAS, null, Duration.ZERO);
  }

  public KnativeOptions withKafkaBootstrapServers(String servers) {
    return new KnativeOptions(namespace, primaryAlias, servers, readyTimeout);
  }

  public KnativeOptions withPrimaryAlias(String alias) {
    return new KnativeOptions(namespace, alias, kafkaBootstrapServers, readyTimeout);
  }

  public KnativeOptions withReadyTimeout(Duration timeout) {
    return new KnativeOptions(namespace, primaryAlias, kafkaBootstrapServers, timeout);
  }
}
