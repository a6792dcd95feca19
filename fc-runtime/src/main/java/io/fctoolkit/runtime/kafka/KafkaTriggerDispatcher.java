package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.Invoker;
import io.fctoolkit.runtime.kafka.internal.Backoff;
import io.fctoolkit.runtime.kafka.internal.CloudEventMapper;
import io.fctoolkit.runtime.kafka.internal.PartitionOffsets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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

  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final Duration BUSY_POLL = Duration.ofMillis(5);

  /** The longest one transaction (results, dead letters, offsets) may run before we give up. */
  private static final Duration COMMIT_LIMIT = Duration.ofSeconds(60);

  private final TriggerSpec spec;
  private final String bootstrapServers;
  private final Invoker invoker;
  private final TriggerEngineConfig config;
  private final CloudEventMapper mapper;
  private final Backoff retryBackoff;
  private final Backoff connectBackoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private final java.util.concurrent.ScheduledThreadPoolExecutor scheduler;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Delivery> finished = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Counters> counters = new ConcurrentHashMap<>();
  private final Map<Integer, Counters> versions = new ConcurrentHashMap<>();
  private final AtomicInteger inFlightGauge = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();

  private volatile boolean closing;
  private volatile String state = "STARTING";
  private volatile String lastError;
  private volatile List<PartitionStatus> partitionStatuses = List.of();
  private volatile String sessionState = "no session";

  KafkaTriggerDispatcher(
      TriggerSpec spec, String bootstrapServers, Invoker invoker, TriggerEngineConfig config) {
    this.spec = requireNonNull(spec, "spec");
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    this.invoker = requireNonNull(invoker, "invoker");
    this.config = requireNonNull(config, "config");
    this.mapper = new CloudEventMapper(spec, config.namespace());
    this.retryBackoff = new Backoff(spec.retry().initialBackoff(), spec.retry().maxBackoff());
    String id = spec.function() + "-" + spec.name();
    this.scheduler =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "fc-trigger-retry-" + id);
              t.setDaemon(true);
              return t;
            });
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
    return new TriggerStatus(spec.name(), state, lastError, partitionStatuses);
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
      state = "STOPPED";
    }
  }

  // ---- consumer thread -------------------------------------------------------------------

  private void run() {
    int failures = 0;
    Admin admin = null;
    try {
      admin = Admin.create(adminProps());
      while (!closing) {
        Session session = null;
        try {
          state = "CONNECTING";
          preflight(admin);
          session = new Session();
          state = "RUNNING";
          failures = 0;
          session.loop();
          session.shutdown();
          return;
        } catch (TopicMissingException e) {
          state = "TOPIC_MISSING";
          lastError = e.getMessage();
        } catch (RuntimeException e) {
          state = closing ? "STOPPING" : isConnectionProblem(e) ? "BROKER_UNREACHABLE" : "ERROR";
          lastError = describe(e);
        } finally {
          if (session != null && !session.closed) {
            session.abandon();
          }
        }
        failures++;
        connectFailures.increment();
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
                        + state
                        + " ("
                        + lastError
                        + "); retrying in "
                        + delay
                        + " ms"));
        sleepUnlessClosing(delay);
      }
    } catch (RuntimeException e) {
      state = "ERROR";
      lastError = describe(e);
    } finally {
      partitionStatuses = List.of();
      sessionState = "no session";
      if (admin != null) {
        admin.close(TriggerEngine.ADMIN_CLOSE);
      }
    }
  }

  /**
   * Checks that every topic the trigger reads or writes exists before a session starts, and creates
   * the missing ones where the runtime may (its embedded broker). Without this a trigger put while
   * the broker did not answer (a loaded machine) would read its source topic but block every
   * transaction on a result or dead-letter topic that does not exist: a stall, not an error.
   */
  private void preflight(Admin admin) {
    try {
      Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
      List<String> missing = TriggerTopics.missing(spec, existing);
      if (missing.isEmpty()) {
        return;
      }
      if (!TriggerTopics.mayCreate(spec, config)) {
        throw new TopicMissingException(
            "topic(s) "
                + missing
                + " do not exist on "
                + bootstrapServers
                + "; create them there (trigger '"
                + spec.name()
                + "' needs them)");
      }
      List<NewTopic> topics = new ArrayList<>();
      for (String topic : missing) {
        topics.add(new NewTopic(topic, spec.partitions(), (short) 1));
      }
      try {
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      config.events().accept(FcEvent.info("Trigger " + spec.name() + " created topics " + missing));
    } catch (java.util.concurrent.ExecutionException e) {
      throw new KafkaException("cannot reach Kafka at " + bootstrapServers, e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException(
          "cannot reach Kafka at " + bootstrapServers + " (no answer in time)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted", e);
    }
  }

  private static boolean isConnectionProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof org.apache.kafka.common.errors.DisconnectException
          || (t.getMessage() != null && t.getMessage().startsWith("cannot reach Kafka"))) {
        return true;
      }
    }
    return false;
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

  private Properties adminProps() {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"));
    return p;
  }

  private String clientId(String role) {
    return "fc-" + spec.function() + "-" + spec.name() + "-" + role + "-" + config.instanceId();
  }

  private boolean hasOutputs() {
    return spec.onSuccessTopic() != null || spec.deadLetterTopic() != null;
  }

  /** One connection of the consumer (and producer) to the cluster; replaced after a failure. */
  private final class Session implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<TopicPartition, PartitionState> states = new LinkedHashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final List<Delivery> toPublish = new ArrayList<>();
    private int inFlight;
    private int waiting;
    private long lastCommitNanos = System.nanoTime();
    private long lastEndOffsetsNanos;
    private long lastStatusNanos;
    private final java.util.concurrent.ExecutorService committer;
    private PendingCommit pending;
    private boolean broken;
    private boolean closed;

    Session() {
      KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps());
      KafkaProducer<byte[], byte[]> p = null;
      try {
        if (hasOutputs()) {
          p = new KafkaProducer<>(producerProps());
          // Fences and aborts the open transaction of a crashed predecessor with the same id.
          p.initTransactions();
        }
        c.subscribe(List.of(spec.topic()), this);
      } catch (RuntimeException e) {
        c.close(Duration.ZERO);
        if (p != null) {
          p.close(Duration.ZERO);
        }
        throw e;
      }
      this.consumer = c;
      this.producer = p;
      this.committer =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t =
                    new Thread(r, "fc-trigger-commit-" + spec.function() + "-" + spec.name());
                t.setDaemon(true);
                return t;
              });
    }

    void loop() {
      while (!closing) {
        if (Thread.currentThread().isInterrupted()) {
          throw new KafkaException("interrupted");
        }
        takeFinished();
        dispatchReady();
        publish(false);
        updatePause();
        // Poll manually so that in-flight deliveries stay bounded by maxInFlight; a short
        // timeout while deliveries run, so their completions are committed promptly.
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(inFlight > 0 || !finished.isEmpty() ? BUSY_POLL : IDLE_POLL);
        for (ConsumerRecord<byte[], byte[]> record : records) {
          accept(record);
        }
        refreshStatus(false);
      }
    }

    /** Graceful end: pause, let in-flight records finish (bounded), commit, leave the group. */
    void shutdown() {
      state = "STOPPING";
      consumer.pause(consumer.assignment());
      dropWaiting(states.values());
      awaitInFlight(states.values());
      publish(true);
      // Released here, so that onPartitionsRevoked, run by close(), does not wait again.
      release(new ArrayList<>(states.values()));
      closeClients(Duration.ofSeconds(10));
    }

    /** After a failure: release everything without committing; records are read again. */
    void abandon() {
      broken = true;
      for (PartitionState st : states.values()) {
        st.revoked = true;
      }
      inFlightGauge.addAndGet(-inFlight);
      closeClients(Duration.ZERO);
    }

    private void closeClients(Duration timeout) {
      closed = true;
      committer.shutdownNow();
      try {
        consumer.close(
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
      } catch (RuntimeException e) {
        lastError = describe(e);
      }
      if (producer != null) {
        try {
          producer.close(timeout);
        } catch (RuntimeException e) {
          lastError = describe(e);
        }
      }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
      PartitionState st = states.get(new TopicPartition(record.topic(), record.partition()));
      if (st == null) {
        return; // revoked while the fetch was under way
      }
      if (!st.offsets.track(record.offset())) {
        st.dirty = true; // done by an earlier owner: skip, but let the prefix move
        return;
      }
      Delivery d = new Delivery(record, st);
      config.listener().received(d.event(0));
      st.enqueue(d);
      waiting++;
    }

    private void dispatchReady() {
      boolean progress = true;
      while (progress && inFlight < spec.maxInFlight()) {
        progress = false;
        for (PartitionState st : states.values()) {
          if (inFlight >= spec.maxInFlight()) {
            break;
          }
          Delivery d = st.nextReady();
          if (d != null) {
            waiting--;
            inFlight++;
            st.inFlight++;
            inFlightGauge.incrementAndGet();
            d.attempt = 1;
            attempt(d);
            progress = true;
          }
        }
      }
    }

    /** Applies finished deliveries (from any thread) on the consumer thread. */
    private void takeFinished() {
      Delivery d;
      while ((d = finished.poll()) != null) {
        PartitionState st = d.state;
        if (st.revoked || st.session != this) {
          continue;
        }
        st.inFlight--;
        inFlight--;
        inFlightGauge.decrementAndGet();
        st.release(d);
        toPublish.add(d);
      }
    }

    /**
     * Writes results and dead letters and commits the offsets that mark their records done, in one
     * transaction when there is a producer. Transactions run on the committer thread, one at a
     * time, so that a slow commit does not hold up dispatching; {@code force} waits for it and
     * commits everything now (rebalance, close).
     */
    private void publish(boolean force) {
      if (broken || !finishPending(force)) {
        return;
      }
      boolean dirty = !toPublish.isEmpty();
      for (PartitionState st : states.values()) {
        dirty |= st.dirty;
      }
      if (!dirty) {
        return;
      }
      if (!force && System.nanoTime() - lastCommitNanos < config.commitInterval().toNanos()) {
        return;
      }
      List<Delivery> batch = new ArrayList<>(toPublish);
      toPublish.clear();
      for (Delivery d : batch) {
        d.state.offsets.complete(d.record.offset());
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (PartitionState st : states.values()) {
        long next = st.offsets.committable();
        String metadata = st.offsets.metadata();
        if (next != st.requested || !metadata.equals(st.requestedMetadata)) {
          offsets.put(st.tp, new OffsetAndMetadata(next, metadata));
          st.requested = next;
          st.requestedMetadata = metadata;
        }
        st.dirty = false;
      }
      lastCommitNanos = System.nanoTime();
      try {
        if (producer != null) {
          ConsumerGroupMetadata group = consumer.groupMetadata();
          Runnable transaction =
              () -> {
                producer.beginTransaction();
                for (Delivery d : batch) {
                  failFast(sendOutputs(d));
                }
                if (!offsets.isEmpty()) {
                  producer.sendOffsetsToTransaction(offsets, group);
                }
                producer.commitTransaction();
              };
          if (force) {
            transaction.run();
            committed(batch, offsets);
          } else {
            pending =
                new PendingCommit(batch, offsets, committer.submit(transaction), System.nanoTime());
          }
        } else {
          if (!offsets.isEmpty()) {
            consumer.commitSync(offsets, Duration.ofSeconds(30));
          }
          committed(batch, offsets);
        }
      } catch (RuntimeException e) {
        // The transaction (or commit) failed: abandon this session so that everything not
        // committed is read and delivered again by the next one. Never lose, maybe repeat.
        broken = true;
        throw e;
      }
    }

    /** True when no transaction is running any more; waits for it if {@code wait}. */
    private boolean finishPending(boolean wait) {
      if (pending == null) {
        return true;
      }
      if (!wait && !pending.future().isDone()) {
        long running = System.nanoTime() - pending.startNanos();
        if (running > COMMIT_LIMIT.toNanos()) {
          // Each producer call is bounded (max.block.ms), but not a transaction as a whole: give
          // up on it, so that the next session writes the records again instead of waiting.
          broken = true;
          pending.future().cancel(true);
          throw new KafkaException(
              "committing results and offsets has not finished after "
                  + COMMIT_LIMIT.toSeconds()
                  + " s; starting over");
        }
        return false;
      }
      try {
        pending.future().get(COMMIT_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        broken = true;
        throw new KafkaException("committing results and offsets failed", e.getCause());
      } catch (TimeoutException e) {
        broken = true;
        throw new KafkaException("committing results and offsets timed out", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        broken = true;
        throw new KafkaException("interrupted while committing", e);
      }
      PendingCommit done = pending;
      pending = null;
      committed(done.batch(), done.offsets());
      return true;
    }

    private void committed(List<Delivery> batch, Map<TopicPartition, OffsetAndMetadata> offsets) {
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
        PartitionState st = states.get(e.getKey());
        if (st != null) {
          st.committed = e.getValue().offset();
        }
      }
      for (Delivery d : batch) {
        count(d);
      }
    }

    /**
     * Fails the transaction at once when a write failed before it was sent (no metadata for its
     * topic within max.block.ms), instead of letting every other write of the batch wait as long.
     */
    private void failFast(java.util.concurrent.Future<?> write) {
      if (write == null || !write.isDone()) {
        return;
      }
      try {
        write.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new KafkaException("writing a result or dead letter failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted", e);
      }
    }

    /** Writes a record's result or dead letter; the write, or null if there is none. */
    private java.util.concurrent.Future<?> sendOutputs(Delivery d) {
      ConsumerRecord<byte[], byte[]> r = d.record;
      if (d.success) {
        // An empty 2xx answer means "no reply", as on Knative (fc-host sends no result there
        // either): nothing is written, yet the record counts as delivered and its offset commits.
        byte[] body = d.response.body();
        if (spec.onSuccessTopic() != null && body != null && body.length > 0) {
          RecordHeaders headers = new RecordHeaders();
          addSource(headers, d);
          String contentType = d.response.headers().get("content-type");
          if (contentType != null) {
            headers.add("content-type", utf8(contentType));
          }
          return producer.send(
              new ProducerRecord<>(spec.onSuccessTopic(), null, r.key(), body, headers));
        }
      } else if (spec.deadLetterTopic() != null) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
          headers.add(h);
        }
        headers.add(H_ERROR, utf8(d.error));
        headers.add(H_STATUS, utf8(Integer.toString(d.status)));
        headers.add(H_ATTEMPTS, utf8(Integer.toString(d.attempt)));
        addSource(headers, d);
        return producer.send(
            new ProducerRecord<>(spec.deadLetterTopic(), null, r.key(), r.value(), headers));
      }
      return null;
    }

    private void addSource(RecordHeaders headers, Delivery d) {
      headers.add(H_TOPIC, utf8(d.record.topic()));
      headers.add(H_PARTITION, utf8(Integer.toString(d.record.partition())));
      headers.add(H_OFFSET, utf8(Long.toString(d.record.offset())));
      headers.add(H_VERSION, utf8(Integer.toString(d.version)));
      headers.add(H_TRIGGER, utf8(spec.function() + "/" + spec.name()));
    }

    private void count(Delivery d) {
      Counters c = counters.computeIfAbsent(d.record.partition(), k -> new Counters());
      Counters v = versions.computeIfAbsent(d.version, k -> new Counters());
      if (d.success) {
        c.delivered.increment();
        v.delivered.increment();
      } else if (spec.deadLetterTopic() != null) {
        c.deadLettered.increment();
        v.deadLettered.increment();
      } else {
        dropped.increment();
        v.deadLettered.increment();
      }
    }

    private void updatePause() {
      Set<TopicPartition> toPause = new HashSet<>();
      Set<TopicPartition> toResume = new HashSet<>();
      int cap = spec.maxInFlight();
      for (PartitionState st : states.values()) {
        boolean full = st.waiting >= cap || (waiting >= cap && st.waiting > 0);
        boolean calm = st.waiting < Math.max(1, cap / 2) && (waiting < cap / 2 || st.waiting == 0);
        if (full && !paused.contains(st.tp)) {
          toPause.add(st.tp);
        } else if (calm && paused.contains(st.tp)) {
          toResume.add(st.tp);
        }
      }
      if (!toPause.isEmpty()) {
        consumer.pause(toPause);
        paused.addAll(toPause);
      }
      if (!toResume.isEmpty()) {
        consumer.resume(toResume);
        paused.removeAll(toResume);
      }
    }

    private void dropWaiting(Collection<PartitionState> which) {
      for (PartitionState st : which) {
        waiting -= st.clearWaiting();
      }
    }

    private void awaitInFlight(Collection<PartitionState> which) {
      long deadline = System.nanoTime() + config.drainTimeout().toNanos();
      while (System.nanoTime() < deadline) {
        takeFinished();
        int left = 0;
        for (PartitionState st : which) {
          left += st.inFlight;
        }
        if (left == 0) {
          return;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      takeFinished();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (broken) {
        return;
      }
      List<PartitionState> leaving = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        PartitionState st = states.get(tp);
        if (st != null) {
          leaving.add(st);
        }
      }
      if (leaving.isEmpty()) {
        return;
      }
      // Finish what is in flight and commit it before the partitions go to another member, so
      // the new owner neither loses nor repeats those records.
      dropWaiting(leaving);
      awaitInFlight(leaving);
      publish(true);
      release(leaving);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another member may own them already: committing now could move its offsets.
      List<PartitionState> lost = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        PartitionState st = states.get(tp);
        if (st != null) {
          lost.add(st);
        }
      }
      dropWaiting(lost);
      toPublish.removeIf(d -> partitions.contains(d.state.tp));
      release(lost);
    }

    private void release(List<PartitionState> leaving) {
      for (PartitionState st : leaving) {
        st.revoked = true;
        inFlight -= st.inFlight;
        inFlightGauge.addAndGet(-st.inFlight);
        states.remove(st.tp);
        paused.remove(st.tp);
      }
      refreshStatus(true);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(30));
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        PartitionState st;
        if (c != null) {
          st = new PartitionState(this, tp, new PartitionOffsets(c.offset(), c.metadata()));
          st.committed = c.offset();
          st.requested = c.offset();
          st.requestedMetadata = c.metadata() == null ? "" : c.metadata();
        } else {
          // A new group: commit where the start offset put us, so a crash before the first
          // delivery cannot make a "latest" trigger skip records produced meanwhile.
          long position = consumer.position(tp, Duration.ofSeconds(30));
          st = new PartitionState(this, tp, new PartitionOffsets(position, null));
          st.dirty = true;
        }
        states.put(tp, st);
      }
      refreshStatus(true);
    }

    private void refreshStatus(boolean force) {
      long now = System.nanoTime();
      if (!force && now - lastStatusNanos < TimeUnit.MILLISECONDS.toNanos(200)) {
        return;
      }
      lastStatusNanos = now;
      if (now - lastEndOffsetsNanos > TimeUnit.SECONDS.toNanos(2) && !states.isEmpty()) {
        lastEndOffsetsNanos = now;
        try {
          Map<TopicPartition, Long> ends =
              consumer.endOffsets(new HashSet<>(states.keySet()), Duration.ofSeconds(2));
          ends.forEach(
              (tp, end) -> {
                PartitionState st = states.get(tp);
                if (st != null) {
                  st.endOffset = end;
                }
              });
        } catch (RuntimeException e) {
          lastError = describe(e);
        }
      }
      List<PartitionStatus> list = new ArrayList<>();
      TreeMap<Integer, PartitionState> sorted = new TreeMap<>();
      states.values().forEach(st -> sorted.put(st.tp.partition(), st));
      for (PartitionState st : sorted.values()) {
        Counters c = counters.computeIfAbsent(st.tp.partition(), k -> new Counters());
        long committedOffset = Math.max(st.committed, 0);
        long end = Math.max(st.endOffset, committedOffset);
        list.add(
            new PartitionStatus(
                st.tp.partition(),
                committedOffset,
                end,
                end - committedOffset,
                st.inFlight,
                c.delivered.sum(),
                c.retried.sum(),
                c.deadLettered.sum()));
      }
      partitionStatuses = List.copyOf(list);
      sessionState = describeSession();
    }

    /**
     * What a stall report needs and {@link PartitionStatus} does not show: per partition whether
     * the consumer owns and has paused it (and whether that agrees with the dispatcher's own
     * bookkeeping), records waiting and in flight, the committable prefix against what was
     * requested and committed; for the session, the transaction in progress and its age.
     */
    private String describeSession() {
      Set<TopicPartition> assigned = consumer.assignment();
      Set<TopicPartition> consumerPaused = consumer.paused();
      StringBuilder out = new StringBuilder();
      out.append("session inFlight=")
          .append(inFlight)
          .append(" waiting=")
          .append(waiting)
          .append(" toPublish=")
          .append(toPublish.size())
          .append(" broken=")
          .append(broken)
          .append(" commit=");
      if (pending == null) {
        out.append("none");
      } else {
        out.append(pending.future().isDone() ? "done" : "running")
            .append(" for ")
            .append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pending.startNanos()))
            .append(" ms (")
            .append(pending.batch().size())
            .append(" records)");
      }
      out.append(" assigned=").append(assigned.size());
      TreeMap<Integer, PartitionState> sorted = new TreeMap<>();
      states.values().forEach(st -> sorted.put(st.tp.partition(), st));
      for (PartitionState st : sorted.values()) {
        out.append("; p")
            .append(st.tp.partition())
            .append(" owned=")
            .append(assigned.contains(st.tp))
            .append(" paused=")
            .append(paused.contains(st.tp))
            .append('/')
            .append(consumerPaused.contains(st.tp))
            .append(" waiting=")
            .append(st.waiting)
            .append(" inFlight=")
            .append(st.inFlight)
            .append(" pending=")
            .append(st.offsets.pending())
            .append(" committable=")
            .append(st.offsets.committable())
            .append(" requested=")
            .append(st.requested)
            .append(" committed=")
            .append(st.committed)
            .append(" end=")
            .append(st.endOffset);
      }
      for (TopicPartition tp : assigned) {
        if (!states.containsKey(tp)) {
          out.append("; ").append(tp).append(" owned by the consumer but not tracked");
        }
      }
      return out.toString();
    }
  }

  private Properties consumerProps() {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, spec.consumerGroup());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("consumer"));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        spec.startOffset().name().toLowerCase(java.util.Locale.ROOT));
    // Results written by other triggers' aborted transactions must not trigger anything.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        Integer.toString(Math.min(500, spec.maxInFlight())));
    // Cooperative rebalancing moves only the partitions that change owner, so members keep
    // delivering the rest while one drains.
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    // Static membership: a runtime restarted after a crash takes its partitions back at once
    // instead of waiting for its dead predecessor's session to time out. Graceful closes leave
    // the group explicitly (see closeClients).
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, clientId("member"));
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
    return p;
  }

  private Properties producerProps() {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId("producer"));
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Stable per runtime and trigger: a restarted runtime aborts its crashed predecessor's open
    // transaction at once instead of leaving readers stuck until it times out.
    p.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        "fc-" + spec.consumerGroup() + "-" + spec.topic() + "-" + config.instanceId());
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  // ---- deliveries (any thread) ------------------------------------------------------------

  private void attempt(Delivery d) {
    if (d.state.revoked || scheduler.isShutdown()) {
      return; // the partition moved on: its new owner delivers the record again
    }
    CompletableFuture<InvokeResponse> future;
    try {
      future = invoker.invoke(d.request).copy();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future
        .orTimeout(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((response, error) -> attempted(d, response, error));
  }

  private void attempted(Delivery d, InvokeResponse response, Throwable error) {
    if (error == null && response != null && response.isSuccess()) {
      d.success = true;
      d.response = response;
      d.status = response.status();
      d.version = response.version();
      config.listener().delivered(d.event(d.attempt), response);
      finished.add(d);
      return;
    }
    String reason = reason(response, error);
    boolean permanent = error == null && response != null && isPermanent(response.status());
    d.status = response == null ? 0 : response.status();
    d.version = response == null ? d.version : response.version();
    d.error = reason;
    boolean retry = !permanent && d.attempt < spec.retry().attempts() && !d.state.revoked;
    config.listener().failed(d.event(d.attempt), reason, retry);
    if (retry && !scheduler.isShutdown()) {
      counters.computeIfAbsent(d.record.partition(), k -> new Counters()).retried.increment();
      long delay = retryBackoff.delayMillis(d.attempt);
      d.attempt++;
      try {
        scheduler.schedule(() -> attempt(d), delay, TimeUnit.MILLISECONDS);
        return;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // closing: the record was not committed and is read again later
      }
    }
    d.success = false;
    lastError =
        "partition "
            + d.record.partition()
            + " offset "
            + d.record.offset()
            + " failed after "
            + d.attempt
            + " attempt(s): "
            + reason;
    finished.add(d);
  }

  /** 4xx answers are permanent (retrying cannot help), except 408 and 429, which are timeouts. */
  static boolean isPermanent(int status) {
    if (status == 408 || status == 429) {
      return false;
    }
    return (status >= 400 && status < 500)
        || (status > 0 && status < 200)
        || (status >= 300 && status < 400);
  }

  private static String reason(InvokeResponse response, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (cause instanceof TimeoutException) {
        return "timeout: no answer in time";
      }
      return describe(cause);
    }
    String body = response.bodyText();
    if (body.length() > 500) {
      body = body.substring(0, 500) + "...";
    }
    return "HTTP " + response.status() + (body.isBlank() ? "" : ": " + body.strip());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A one-line internal snapshot for stall reports (fault tests, support): the status plus the
   * session's bookkeeping, as of the consumer thread's last status refresh (at most 200 ms old
   * while it runs), and the retry and completion queues now.
   */
  String describe() {
    return "state="
        + state
        + " lastError="
        + lastError
        + " consumerThread="
        + thread.getState()
        + " finishedQueue="
        + finished.size()
        + " retriesScheduled="
        + scheduler.getQueue().size()
        + " "
        + sessionState;
  }

  // ---- metrics ----------------------------------------------------------------------------

  /** Per-partition counters; kept across rebalances for this trigger's life. */
  static final class Counters {
    final LongAdder delivered = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
  }

  Map<Integer, Counters> versionCounters() {
    return versions;
  }

  long dropped() {
    return dropped.sum();
  }

  long connectFailures() {
    return connectFailures.sum();
  }

  int inFlight() {
    return Math.max(0, inFlightGauge.get());
  }

  // ---- per-record and per-partition state --------------------------------------------------

  /** One record on its way to the function. */
  private final class Delivery {
    final ConsumerRecord<byte[], byte[]> record;
    final PartitionState state;
    final InvokeRequest request;
    final String key;
    volatile int attempt;
    volatile boolean success;
    volatile InvokeResponse response;
    volatile int status;
    volatile int version;
    volatile String error = "";

    Delivery(ConsumerRecord<byte[], byte[]> record, PartitionState state) {
      this.record = record;
      this.state = state;
      this.request = mapper.toRequest(record);
      this.key = request.routingKey();
    }

    DispatchEvent event(int attemptNumber) {
      return new DispatchEvent(
          spec.function(),
          spec.name(),
          record.topic(),
          record.partition(),
          record.offset(),
          key,
          attemptNumber);
    }
  }

  /** What the consumer thread knows of one assigned partition. */
  private final class PartitionState {
    final Session session;
    final TopicPartition tp;
    final PartitionOffsets offsets;
    // Records that may start now, in offset order.
    final ArrayDeque<Delivery> ready = new ArrayDeque<>();
    // KEY ordering: records waiting behind an earlier record with the same key.
    final Map<ByteBuffer, ArrayDeque<Delivery>> byKey = new HashMap<>();
    int waiting;
    int inFlight;
    long committed = -1;
    long requested = -1;
    String requestedMetadata = "";
    long endOffset = -1;
    boolean dirty;
    volatile boolean revoked;

    PartitionState(Session session, TopicPartition tp, PartitionOffsets offsets) {
      this.session = session;
      this.tp = tp;
      this.offsets = offsets;
    }

    void enqueue(Delivery d) {
      waiting++;
      if (spec.ordering() == Ordering.KEY && d.record.key() != null) {
        ByteBuffer k = ByteBuffer.wrap(d.record.key());
        ArrayDeque<Delivery> queue = byKey.get(k);
        if (queue != null) {
          queue.add(d);
          return;
        }
        byKey.put(k, new ArrayDeque<>());
      }
      ready.add(d);
    }

    Delivery nextReady() {
      if (spec.ordering() == Ordering.PARTITION && inFlight > 0) {
        return null;
      }
      Delivery d = ready.poll();
      if (d != null) {
        waiting--;
      }
      return d;
    }

    /** A record finished: under KEY ordering the next record with its key may start. */
    void release(Delivery d) {
      if (spec.ordering() == Ordering.KEY && d.record.key() != null) {
        ByteBuffer k = ByteBuffer.wrap(d.record.key());
        ArrayDeque<Delivery> queue = byKey.get(k);
        if (queue != null) {
          Delivery next = queue.poll();
          if (next == null) {
            byKey.remove(k);
          } else {
            ready.add(next);
          }
        }
      }
    }

    int clearWaiting() {
      int n = waiting;
      ready.clear();
      byKey.clear();
      waiting = 0;
      return n;
    }
  }

  /** A transaction running on the committer thread, with what it commits. */
  private record PendingCommit(
      List<Delivery> batch,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      java.util.concurrent.Future<?> future,
      long startNanos) {}

  /** The trigger's topic does not exist (yet). */
  private static final class TopicMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TopicMissingException(String message) {
      super(message);
    }
  }
}
