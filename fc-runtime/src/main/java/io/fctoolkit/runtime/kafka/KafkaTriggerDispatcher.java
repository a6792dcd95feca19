package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.kafka.internal.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the records of one trigger's topic to its function alias: one consumer with the
 * trigger's stable group, polled by hand, with up to {@code maxInFlight} deliveries at once.
 *
 * <p>Guarantees: offsets are committed only for the contiguous completed prefix of each partition
 * (offsets done beyond it travel in the commit metadata), so nothing is lost on a crash. Results
 * ({@code onSuccess}) and dead letters are written in the same Kafka transaction as the offsets
 * that mark their records done, so a reader with {@code isolation.level=read_committed} sees each
 * record's outcome exactly once even across {@code kill -9}; the function itself may see a record
 * again after a crash (at least once). On rebalance and close, in-flight records get {@code
 * drainTimeout} to finish and their offsets are committed before partitions are released.
 *
 * <p>On every partition the trigger either makes progress or says why it cannot: an outcome too
 * large to write is dead-lettered cut or parked (see {@link OutcomeWriter}), a record that HTTP
 * cannot carry fails at once, a transient error restarts the session after a backoff, and a fatal
 * one (see {@link KafkaErrors}) stops the trigger in state {@value TriggerStatusBoard#FAILED}.
 *
 * <p>Threads: the dispatcher's own thread runs one {@link TriggerSession} at a time (the consumer
 * thread); each session has a committer thread for its transactions; retries wait on a scheduler
 * thread; invocations complete on the invoker's threads.
 */
public final class KafkaTriggerDispatcher implements AutoCloseable {

  /** Dead-letter and result headers. */
  public static final String H_ERROR = "fc-error";

  public static final String H_STATUS = "fc-error-status";
  public static final String H_ATTEMPTS = "fc-attempts";
  public static final String H_TOPIC = "fc-source-topic";
  public static final String H_PARTITION = "fc-source-partition";
  public static final String H_OFFSET = "fc-source-offset";
  public static final String H_VERSION = "fc-version";
  public static final String H_TRIGGER = "fc-trigger";

  /** Cut form: what did not fit, {@code result} or {@code dead-letter}. */
  public static final String H_CUT = "fc-cut";

  /** Cut form: the size in bytes of what did not fit (the result, or the record's value). */
  public static final String H_ORIGINAL_SIZE = "fc-original-size";

  /** Cut form: the SHA-256 digest (hex) of what did not fit. */
  public static final String H_ORIGINAL_SHA256 = "fc-original-sha256";

  /** Cut form: how many bytes of the record's value this dead letter carries. */
  public static final String H_VALUE_KEPT = "fc-value-kept";

  /** Cut form: the size in bytes of the record's value. */
  public static final String H_VALUE_SIZE = "fc-value-size";

  private final TriggerSpec spec;
  private final TriggerEngineConfig config;
  private final TriggerClients clients;
  private final TopicPreflight preflight;
  private final TriggerStatusBoard board;
  private final DeliveryAttempts attempts;
  private final Backoff connectBackoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private final ScheduledThreadPoolExecutor scheduler;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Delivery> finished = new ConcurrentLinkedQueue<>();

  /** When sessions failed with an error that is fatal only if it repeats (being fenced). */
  private final ArrayDeque<Long> repeatedFailures = new ArrayDeque<>();

  /** How many such failures within {@link #REPEAT_WINDOW} make them fatal. */
  static final int REPEATS = 3;

  static final Duration REPEAT_WINDOW = Duration.ofMinutes(2);

  private volatile boolean closing;

  KafkaTriggerDispatcher(
      TriggerSpec spec,
      String bootstrapServers,
      InProcessInvoker invoker,
      TriggerEngineConfig config) {
    this(
        spec,
        invoker,
        config,
        TriggerClients.kafka(new TriggerClientProperties(spec, bootstrapServers, config)),
        bootstrapServers);
  }

  /**
   * @param clients makes the consumer, producer and admin (Kafka's own, or mocks in unit tests)
   * @param bootstrapServers where the clients connect, for messages
   */
  KafkaTriggerDispatcher(
      TriggerSpec spec,
      InProcessInvoker invoker,
      TriggerEngineConfig config,
      TriggerClients clients,
      String bootstrapServers) {
    this.spec = requireNonNull(spec, "spec");
    this.config = requireNonNull(config, "config");
    this.clients = requireNonNull(clients, "clients");
    this.preflight = new TopicPreflight(spec, config, bootstrapServers, clients.maxRequestSize());
    this.board = new TriggerStatusBoard(spec);
    String id = spec.function() + "-" + spec.name();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "fc-trigger-retry-" + id);
              t.setDaemon(true);
              return t;
            });
    this.attempts =
        new DeliveryAttempts(
            spec, requireNonNull(invoker, "invoker"), config, board, scheduler, finished::add);
    this.thread = new Thread(this::run, "fc-trigger-" + id);
    this.thread.setDaemon(true);
  }

  /** Starts consuming on its own thread. */
  void start() {
    thread.start();
  }

  /** The trigger this dispatcher serves. */
  public TriggerSpec spec() {
    return spec;
  }

  /** The live state of this trigger and its assigned partitions. */
  public TriggerStatus status() {
    return board.status();
  }

  /** Notes of the latest records that failed, oldest first. */
  public List<io.fctoolkit.runtime.DeadLetterNote> deadLetters() {
    return board.deadLetters();
  }

  /** True when the trigger stopped on a fatal error; putting it again starts it anew. */
  boolean failed() {
    return TriggerStatusBoard.FAILED.equals(board.state());
  }

  /** The latest records parked because their outcome could be written nowhere. */
  List<TriggerStatusBoard.Parked> parked() {
    return board.parked();
  }

  /**
   * Stops reading, lets in-flight records finish (at most {@code drainTimeout}), commits and
   * releases the partitions.
   */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(config.drainTimeout().plusSeconds(30).toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      if (!failed()) {
        board.state("STOPPED");
      }
    }
  }

  // ---- consumer thread -------------------------------------------------------------------

  private void run() {
    int failures = 0;
    TriggerAdmin admin = null;
    try {
      admin = clients.admin();
      while (!closing) {
        TriggerSession session = null;
        try {
          board.state("CONNECTING");
          OutputLimits limits = preflight.check(admin);
          session =
              new TriggerSession(
                  spec, config, clients, limits, attempts, board, finished, () -> closing);
          board.state("RUNNING");
          failures = 0;
          session.loop();
          session.shutdown();
          return;
        } catch (TopicPreflight.TopicMissingException e) {
          board.lastError(e.getMessage());
          board.state("TOPIC_MISSING");
        } catch (RuntimeException e) {
          if (stopIfFatal(e)) {
            return;
          }
          board.lastError(KafkaErrors.describe(e));
          board.state(
              closing
                  ? "STOPPING"
                  : KafkaErrors.isConnectionProblem(e) ? "BROKER_UNREACHABLE" : "ERROR");
        } finally {
          if (session != null && !session.closed()) {
            session.abandon();
          }
        }
        failures++;
        board.connectFailures.increment();
        long delay = Math.max(200, connectBackoff.delayMillis(failures));
        config
            .events()
            .accept(
                FcEvent.warn(
                    "Trigger "
                        + spec.function()
                        + "/"
                        + spec.name()
                        + " is "
                        + board.state()
                        + " ("
                        + board.lastError()
                        + "); retrying in "
                        + delay
                        + " ms"));
        sleepUnlessClosing(delay);
      }
    } catch (RuntimeException e) {
      if (!stopIfFatal(e)) {
        board.state("ERROR");
        board.lastError(KafkaErrors.describe(e));
      }
    } finally {
      board.partitions(List.of());
      board.sessionState("no session");
      if (admin != null) {
        admin.close();
      }
    }
  }

  /** Stops the trigger in state FAILED if {@code e} is an error no retry can fix. */
  private boolean stopIfFatal(RuntimeException e) {
    Optional<KafkaErrors.Fatal> fatal = KafkaErrors.fatal(e);
    if (fatal.isEmpty()) {
      return false;
    }
    if (fatal.get().repeated()) {
      long now = System.nanoTime();
      repeatedFailures.addLast(now);
      while (now - repeatedFailures.peekFirst() > REPEAT_WINDOW.toNanos()) {
        repeatedFailures.removeFirst();
      }
      if (repeatedFailures.size() < REPEATS) {
        return false;
      }
    }
    // The reason first: whoever sees FAILED must find it.
    board.lastError(fatal.get().describe());
    board.state(TriggerStatusBoard.FAILED);
    config
        .events()
        .accept(
            FcEvent.warn(
                "Trigger "
                    + spec.function()
                    + "/"
                    + spec.name()
                    + " FAILED and stopped: "
                    + fatal.get().describe()));
    return true;
  }

  private void sleepUnlessClosing(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!closing && System.nanoTime() < deadline) {
      try {
        Thread.sleep(Math.min(50, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * A one-line internal snapshot for stall reports (fault tests, support): the status plus the
   * session's bookkeeping, as of the consumer thread's last status refresh (at most 200 ms old
   * while it runs), and the retry and completion queues now.
   */
  String describe() {
    return "state="
        + board.state()
        + " lastError="
        + board.lastError()
        + " consumerThread="
        + thread.getState()
        + " finishedQueue="
        + finished.size()
        + " retriesScheduled="
        + scheduler.getQueue().size()
        + " parked="
        + board.parked().size()
        + " "
        + board.sessionState();
  }

  // ---- metrics ----------------------------------------------------------------------------

  Map<Integer, TriggerStatusBoard.Counters> versionCounters() {
    return board.versions();
  }

  long dropped() {
    return board.dropped.sum();
  }

  long connectFailures() {
    return board.connectFailures.sum();
  }

  int inFlight() {
    return Math.max(0, board.inFlight.get());
  }
}
