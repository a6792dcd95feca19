package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaBroker.unique;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad triggers are rejected with a clear error and leave nothing behind. */
class TriggerValidationTest {

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private final FakeFunction function = FakeFunction.echo(1);
  private TriggerEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    function.close();
  }

  private TriggerEngine engine(TriggerEngineConfig config) {
    engine = new TriggerEngine(function, config);
    return engine;
  }

  private static TriggerSpec.Builder spec(String topic) {
    return TriggerSpec.builder("t", "fn", "live", topic).deadLetterTopic(topic + "-dlq");
  }

  private static Set<String> topics() throws Exception {
    try (Admin admin = KAFKA.kafka().admin()) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void missingAlias_isRejected_andNothingIsCreated() throws Exception {
    String topic = unique("noalias");
    TriggerEngine engine =
        engine(
            TriggerEngineConfig.builder(KAFKA.bootstrapServers())
                .aliasExists((f, a) -> !a.equals("live"))
                .build());
    assertThatThrownBy(() -> engine.put(spec(topic).build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("alias 'fn/live' not found")
        .satisfies(e -> assertThat(((NotFoundException) e).hint()).contains("triggers.t.alias"));
    assertThat(engine.list(null)).isEmpty();
    assertThat(topics()).doesNotContain(topic, topic + "-dlq");
  }

  @Test
  void missingTopicOnAClusterWithoutTopicCreation_isRejected() throws Exception {
    String topic = unique("notopic");
    TriggerEngine engine =
        engine(TriggerEngineConfig.builder(KAFKA.bootstrapServers()).createTopics(false).build());
    assertThatThrownBy(() -> engine.put(spec(topic).build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("topic '" + topic + "' not found")
        .satisfies(e -> assertThat(((NotFoundException) e).hint()).contains("create it on"));
    assertThat(engine.list(null)).isEmpty();
    assertThat(topics()).doesNotContain(topic, topic + "-dlq");
  }

  @Test
  void embeddedCluster_createsTheTopicsATriggerDeclares() throws Exception {
    String topic = unique("created");
    TriggerEngine engine = engine(TriggerEngineConfig.defaults(KAFKA.bootstrapServers()));
    engine.put(spec(topic).onSuccessTopic(topic + "-out").partitions(3).build());
    assertThat(topics()).contains(topic, topic + "-dlq", topic + "-out");
    try (Admin admin = KAFKA.kafka().admin()) {
      assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(3);
    }
  }

  @Test
  void unsupportedBatchSize_andNoCluster_areInvalid() {
    TriggerEngine withCluster = engine(TriggerEngineConfig.defaults(KAFKA.bootstrapServers()));
    assertThatThrownBy(() -> withCluster.put(spec(unique("batch")).batchSize(10).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("triggers.t.batchSize")
        .hasMessageContaining("batchSize 10 is not supported");
    assertThat(withCluster.list(null)).isEmpty();
    withCluster.close();

    TriggerEngine noCluster = engine(TriggerEngineConfig.defaults(null));
    assertThatThrownBy(() -> noCluster.put(spec(unique("nocluster")).build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("triggers.t.bootstrapServers");
  }

  @Test
  void invalidValues_areRejectedByTheSpec() {
    assertThatThrownBy(() -> spec("in").maxInFlight(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxInFlight must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialBackoff <= maxBackoff");
    assertThatThrownBy(() -> TriggerSpec.builder("t", "fn", "live", "in").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowDrop");
    assertThatThrownBy(() -> spec("bad topic!").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic must be a Kafka topic name");
  }

  @Test
  void unreachableCluster_isReportedInStatus_andRetriedWithBackoff() throws Exception {
    // Given: a port nobody listens on
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TriggerEngine engine = engine(TriggerEngineConfig.defaults(null));

    // When
    engine.put(spec(unique("away")).bootstrapServers("127.0.0.1:" + port).build());

    // Then: kept, not running, with a clear reason, and no tight retry loop
    assertThat(
            await(
                Duration.ofSeconds(30),
                () -> "BROKER_UNREACHABLE".equals(engine.status("fn", "t").state())))
        .as("status %s", engine.status("fn", "t"))
        .isTrue();
    TriggerStatus status = engine.status("fn", "t");
    assertThat(status.lastError()).contains("cannot reach Kafka at 127.0.0.1:" + port);
    assertThat(status.partitions()).isEmpty();
    Thread.sleep(3000);
    assertThat(engine.renderMetrics())
        .containsPattern("fc_trigger_connect_failures_total\\{[^}]*\\} [1-5]\\n")
        .contains("fc_trigger_up{function=\"fn\",trigger=\"t\",topic=\"");
    assertThat(engine.delete("fn", "t")).isTrue();
    assertThat(engine.list(null)).isEmpty();
  }
}
