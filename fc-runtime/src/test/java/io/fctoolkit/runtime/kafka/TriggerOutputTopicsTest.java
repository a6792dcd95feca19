package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaBroker.unique;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.countValues;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.produce;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.readUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The result and dead-letter topics a trigger writes must exist before it reads: a trigger put
 * while the broker did not answer (what a heavily loaded machine does to {@code TriggerCrashTest})
 * used to read its source topic and then block every transaction on a missing result topic, each
 * write waiting {@code max.block.ms} in turn, with no error in its status: a silent stall.
 */
class TriggerOutputTopicsTest {

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static final Duration WAIT = Duration.ofSeconds(90);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void triggerPutWhileTheBrokerDoesNotAnswer_createsItsOutputTopicsLater_andDeliversEverything()
      throws Exception {
    // Given: the source topic exists; the engine reaches the broker through a gate that answers
    // nothing at first, so put() cannot create the result and dead-letter topics.
    String topic = unique("gate");
    KAFKA.kafka().createTopic(topic, 2);
    produce(KAFKA.bootstrapServers(), topic, 0, 200, i -> "k" + (i % 10), i -> "v" + i);
    SilentGate gate = new SilentGate(KAFKA.bootstrapServers());
    closeables.add(gate);
    List<String> events = new CopyOnWriteArrayList<>();
    FakeFunction function = FakeFunction.echo(5);
    closeables.add(function);
    TriggerEngine engine =
        new TriggerEngine(
            function,
            TriggerEngineConfig.builder(gate.address())
                .events(e -> events.add(e.level() + " " + e.message()))
                .drainTimeout(Duration.ofSeconds(10))
                .build());
    closeables.add(engine);
    engine.put(spec(topic));
    assertThat(events)
        .as("put() saw the broker silent and created nothing")
        .anyMatch(e -> e.startsWith(FcEvent.Level.WARN + " Kafka at " + gate.address()));
    assertThat(topics()).doesNotContain(topic + "-out", topic + "-dlq");

    // When: the broker answers again
    gate.open();
    var results = readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 200);

    // Then: the trigger created its output topics itself and every record has one result
    assertThat(countValues(results))
        .as("results (dispatcher: %s)", engine.describe("fn", "t"))
        .hasSize(200)
        .allSatisfy((v, n) -> assertThat(n).isOne());
    assertThat(topics()).contains(topic + "-out", topic + "-dlq");
  }

  @Test
  void outputTopicDeletedWhileRunning_isCreatedAgain_andNoRecordIsLost() throws Exception {
    // Given: a running trigger whose result and dead-letter topics then disappear
    String topic = unique("gone");
    FakeFunction function = FakeFunction.echo(5);
    closeables.add(function);
    TriggerEngine engine =
        new TriggerEngine(
            function,
            TriggerEngineConfig.builder(KAFKA.bootstrapServers())
                .drainTimeout(Duration.ofSeconds(10))
                .build());
    closeables.add(engine);
    engine.put(spec(topic));
    assertThat(await(WAIT, () -> engine.status("fn", "t").partitions().size() == 2))
        .as("assigned: %s", engine.describe("fn", "t"))
        .isTrue();
    try (Admin admin = admin()) {
      admin.deleteTopics(List.of(topic + "-out", topic + "-dlq")).all().get(30, TimeUnit.SECONDS);
    }
    assertThat(
            await(
                WAIT,
                () -> {
                  Set<String> names = topics();
                  return !names.contains(topic + "-out") && !names.contains(topic + "-dlq");
                }))
        .isTrue();

    // When
    produce(KAFKA.bootstrapServers(), topic, 0, 200, i -> "k" + (i % 10), i -> "v" + i);
    var results = readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 200);

    // Then: the transaction failed fast, the next session re-created the topics, nothing lost
    assertThat(countValues(results))
        .as("results (dispatcher: %s)", engine.describe("fn", "t"))
        .hasSize(200)
        .allSatisfy((v, n) -> assertThat(n).isOne());
  }

  private static TriggerSpec spec(String topic) {
    return TriggerSpec.builder("t", "fn", "live", topic)
        .ordering(Ordering.NONE)
        .maxInFlight(50)
        .deadLetterTopic(topic + "-dlq")
        .onSuccessTopic(topic + "-out")
        .partitions(2)
        .build();
  }

  private static Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    return Admin.create(p);
  }

  private static Set<String> topics() {
    try (Admin admin = admin()) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TCP port that accepts connections but answers nothing until {@link #open()}, then forwards
   * them to the broker: a broker too loaded to answer, then recovering. Clients bootstrap through
   * it and then talk to the broker's advertised address directly.
   */
  private static final class SilentGate implements AutoCloseable {
    private final ServerSocket server;
    private final String target;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentGate(String bootstrap) throws IOException {
      this.target = bootstrap;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.acceptor = new Thread(this::acceptLoop, "silent-gate");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    void open() {
      opened.countDown();
    }

    private void acceptLoop() {
      try {
        while (!server.isClosed()) {
          Socket client = server.accept();
          sockets.add(client);
          // Held unanswered until open: the client sees a connection and then silence.
          while (!opened.await(50, TimeUnit.MILLISECONDS)) {
            if (server.isClosed()) {
              return;
            }
          }
          String[] hostPort = target.split(":");
          Socket broker = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
          sockets.add(broker);
          pipe(client, broker);
          pipe(broker, client);
        }
      } catch (IOException | InterruptedException e) {
        // closed
      }
    }

    private void pipe(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  closeQuietly(from);
                  closeQuietly(to);
                }
              },
              "silent-gate-pipe");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      open();
      server.close();
      sockets.forEach(SilentGate::closeQuietly);
    }
  }
}
