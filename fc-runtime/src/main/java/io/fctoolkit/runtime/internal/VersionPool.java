package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The instances of one version and the requests waiting for them.
 *
 * <p>A request goes to the oldest instance with a free concurrency slot (packing, so that extra
 * instances fall idle and are reclaimed). When every slot is busy the request waits in a bounded
 * queue and instances are started until the slots cover the demand, up to the maximum, a few
 * launches at a time ({@link PoolSizing}). While an alias routes to the version, the pool also
 * keeps the standby headroom ({@code scaling.standby}) of ready instances beyond the demand, and
 * its idle reap never goes below it, so a rising load takes a ready instance while the next one
 * starts in the background. An instance whose process died is removed at once; requests it held
 * fail with 502, or are retried once when the function is idempotent (a refused connection is
 * always retried: the request never arrived). A connection error from an instance whose process
 * lives fails only that attempt (same retry rule): the instance stays. Every slot and queue place a
 * call takes is given back on every path, and a call that cannot be forwarded (an invalid header)
 * is answered 400 before it takes either.
 *
 * <p>A little over 600 lines: admission, scaling and the forwarding loop share one monitor (a
 * forward that ends hands its slot to the next queued call under it, on the same thread); the
 * forwarding and failure paths ({@code send} to {@code failedAttempt}) are the part to move out if
 * it grows.
 */
public final class VersionPool {

  /**
   * Set to {@code 1} in an instance started ahead of demand (standby): nobody waits for its start,
   * so a function may spend it warming up (platform environment, outside the content hash).
   */
  static final String STANDBY_ENV = "FC_STANDBY";

  /** How long a failed connection waits to learn whether the instance's process is exiting. */
  private static final Duration EXIT_GRACE = Duration.ofMillis(300);

  private final Version version;
  private final Supplier<LaunchSpec> spec;
  private final LogSink log;
  private final ServingStats stats;
  private final InstanceClient client;
  private final Duration forwardTimeout;
  private final Executor launcher;
  private final ScheduledExecutorService timer;
  private final PoolSettings settings;
  private final int concurrency;
  private final Starter starter;
  private final PoolAnswers answers;
  private final CallAnswers replies;

  // Guarded by this.
  private final List<Instance> instances = new ArrayList<>();
  private final ArrayDeque<Call> queue = new ArrayDeque<>();
  private int starting;
  private int sequence;
  private boolean closed;
  private FcException lastStartError;
  private final PoolScaling scaling;

  /** Starts one instance of the pool's version; a seam so that tests start fakes. */
  @FunctionalInterface
  interface Starter {
    /**
     * @param id the instance's id
     * @param standby whether it starts ahead of demand (nobody waits for it)
     */
    Instance start(String id, boolean standby) throws IOException;
  }

  public VersionPool(
      Version version,
      Supplier<LaunchSpec> spec,
      LogSink log,
      ServingStats stats,
      InstanceClient client,
      Executor launcher,
      ScheduledExecutorService timer,
      PoolSettings settings) {
    this(version, spec, null, log, stats, client, launcher, timer, settings);
  }

  VersionPool(
      Version version,
      Supplier<LaunchSpec> spec,
      Starter starter,
      LogSink log,
      ServingStats stats,
      InstanceClient client,
      Executor launcher,
      ScheduledExecutorService timer,
      PoolSettings settings) {
    this.version = version;
    this.spec = spec;
    this.starter =
        starter != null
            ? starter
            : (id, standby) ->
                Instance.launch(
                    id,
                    standby ? spec.get().withEnv(STANDBY_ENV, "1") : spec.get(),
                    List.of(),
                    log,
                    settings.startTimeout(),
                    settings.pidDir());
    this.log = log;
    this.stats = stats;
    this.client = client;
    // The function's timeout, and time for the host to answer that it passed.
    this.forwardTimeout = version.config().resources().timeout().plusSeconds(5);
    this.launcher = launcher;
    this.timer = timer;
    this.settings = settings;
    this.concurrency = version.config().resources().concurrency();
    this.scaling = PoolScaling.of(version, settings, System.nanoTime());
    this.answers = new PoolAnswers(version, settings);
    this.replies = new CallAnswers(version, stats);
  }

  public Version version() {
    return version;
  }

  public ServingStats stats() {
    return stats;
  }

  public LogSink log() {
    return log;
  }

  /**
   * Routes a call to a free slot, or queues it; completes with 429 when the queue is full, and with
   * 400 at once, before it takes a slot or a queue place, when it cannot be forwarded as it is.
   */
  public void submit(Call call) {
    String unforwardable = call.prepare(Call.NOT_FORWARDED);
    if (unforwardable != null) {
      finish(call, answers.unforwardable(unforwardable, call.startNanos));
      return;
    }
    Instance target;
    synchronized (this) {
      if (closed) {
        finish(call, answers.retired(call.startNanos));
        return;
      }
      target = pickFree();
      if (target != null) {
        target.inFlight++;
        if (scaling.routed()) {
          // The load may have taken the last spare: the next standby starts now, in the background.
          scaleUpLocked(false);
        }
      } else if (queue.size() >= settings.queueCapacity()) {
        target = null;
      } else {
        queue.addLast(call);
        call.queued = true;
        call.queueTimeout =
            timer.schedule(
                () -> expire(call), settings.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
        scaleUpLocked(true);
        return;
      }
    }
    if (target == null) {
      finish(call, answers.queueFull(call.startNanos));
      return;
    }
    send(target, call);
  }

  /**
   * Starts instances until {@code count} are ready (at most the maximum) and waits for them, so an
   * alias can move here without cold starts. Keeps them at least {@code keep} even unrouted.
   *
   * @return the number of instances ready
   * @throws FcException when none could be started
   */
  public int warm(int count, Duration wait, Duration keep) throws InterruptedException {
    int target = scaling.warmTarget(count);
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (this) {
      scaling.keepFor(keep, System.nanoTime());
      lastStartError = null;
      while (instances.size() + starting < target) {
        startLocked();
      }
      while (instances.size() < target && starting > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      if (instances.size() < target && instances.isEmpty() && lastStartError != null) {
        throw lastStartError;
      }
      return instances.size();
    }
  }

  /**
   * Takes an instance that is already ready (the one publish started to prove the function loads,
   * named {@code <function>-v<N>-1}) as if this pool had started it: it serves at once, counts as a
   * cold start, and idles out like any other instance. A closed pool stops it.
   */
  public void adopt(Instance instance) {
    List<Dispatch> toSend;
    synchronized (this) {
      if (closed) {
        instance.retiring = true;
        instance.gone = true;
        instance.stop();
        return;
      }
      // It took the first instance number: instances are numbered in start order.
      sequence++;
      toSend = admitLocked(instance);
    }
    sendAll(toSend);
  }

  /** Whether an alias routes here: routed pools keep their minimum and normal idle timeout. */
  public synchronized void routed(boolean routed) {
    // An alias moved away: drain and retire quickly (PoolScaling.route).
    scaling.route(routed);
    // A newly routed version gets its minimum and standby now, not at the next reap.
    scaleUpLocked(false);
  }

  public synchronized int instanceCount() {
    return instances.size();
  }

  public synchronized int startingCount() {
    return starting;
  }

  public synchronized int inFlight() {
    int n = 0;
    for (Instance i : instances) {
      n += i.inFlight;
    }
    return n;
  }

  public synchronized int queued() {
    return queue.size();
  }

  /** A snapshot of the instances, for the API. */
  public synchronized List<Map<String, Object>> describeInstances() {
    return instances.stream().map(Instance::describe).toList();
  }

  /** Stops instances idle too long (down to the minimum) and starts any missing minimum. */
  public void reap() {
    List<Instance> stop = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      // Routed: the minimum, and the standby headroom over the current demand, stay.
      int min = scaling.keep(demandLocked());
      long idle = scaling.idleNanos(now);
      if (queue.isEmpty()) {
        // Newest first: the oldest instances take the traffic, so they stay.
        for (int k = instances.size() - 1; k >= 0 && instances.size() > min; k--) {
          Instance i = instances.get(k);
          if (i.inFlight == 0 && now - i.lastUsedNanos > idle) {
            i.retiring = true;
            i.gone = true;
            instances.remove(k);
            stop.add(i);
          }
        }
      }
      scaleUpLocked(false);
    }
    for (Instance i : stop) {
      log.runtime("INFO", "instance idle, stopping", i.id);
      i.stop();
    }
  }

  /** Fails queued calls, stops every instance; used when a version is deleted or at shutdown. */
  public void close(boolean force) {
    List<Instance> stop;
    List<Call> fail;
    synchronized (this) {
      closed = true;
      stop = new ArrayList<>(instances);
      instances.clear();
      fail = new ArrayList<>(queue);
      queue.clear();
      for (Instance i : stop) {
        i.retiring = true;
        i.gone = true;
      }
      notifyAll();
    }
    for (Call c : fail) {
      finish(c, answers.stopping(c.startNanos));
    }
    for (Instance i : stop) {
      if (force) {
        i.kill();
      } else {
        i.stop();
      }
    }
  }

  private Instance pickFree() {
    for (Instance i : instances) {
      if (!i.gone && i.inFlight < concurrency) {
        return i;
      }
    }
    return null;
  }

  /** Requests in flight plus queued. */
  private int demandLocked() {
    int inFlight = 0;
    for (Instance i : instances) {
      inFlight += i.inFlight;
    }
    return inFlight + queue.size();
  }

  /**
   * Starts what {@link PoolSizing} asks for now: the demand first, then the standby headroom.
   * Called whenever demand rises and whenever a launch ends, so the launches bounded now follow
   * later.
   */
  private void scaleUpLocked(boolean requested) {
    if (closed) {
      return;
    }
    for (boolean standby :
        scaling.launches(
            instances.size(), starting, demandLocked(), requested, System.nanoTime())) {
      startLocked(standby);
    }
  }

  private void startLocked() {
    startLocked(false);
  }

  private void startLocked(boolean standby) {
    starting++;
    String id = version.function() + "-v" + version.number() + "-" + (++sequence);
    launcher.execute(() -> launch(id, standby));
  }

  private void launch(String id, boolean standby) {
    Instance instance;
    try {
      instance = starter.start(id, standby);
    } catch (FcException e) {
      startFailed(e);
      return;
    } catch (IOException | RuntimeException e) {
      startFailed(
          new InstanceStartException(
              "instance of "
                  + version.function()
                  + " v"
                  + version.number()
                  + " could not be started: "
                  + e.getMessage(),
              "check the instance JDK (FC_INSTANCE_JAVA_HOME) and the runtime's log",
              null));
      return;
    }
    List<Dispatch> toSend;
    synchronized (this) {
      starting--;
      if (closed) {
        instance.stop();
        notifyAll();
        return;
      }
      toSend = admitLocked(instance);
      scaling.started(System.nanoTime());
      // The next bounded launch, if the demand or the headroom still wants one.
      scaleUpLocked(false);
    }
    // send answers every call it cannot forward, so nothing thrown here can end this thread with
    // calls left unanswered.
    sendAll(toSend);
  }

  /**
   * Takes a ready instance into the pool (counted as a cold start) and hands it the queued requests
   * it can take; the caller sends them after leaving the lock.
   */
  private List<Dispatch> admitLocked(Instance instance) {
    instances.add(instance);
    stats.coldStarts.increment();
    stats.coldStartMs.record(instance.coldStartMs());
    instance.process.onExit().thenRun(() -> exited(instance));
    List<Dispatch> toSend = drainLocked();
    for (Dispatch d : toSend) {
      d.call().waitedForStart = true;
    }
    notifyAll();
    return toSend;
  }

  private void startFailed(FcException e) {
    List<Call> fail = new ArrayList<>();
    synchronized (this) {
      starting--;
      lastStartError = e;
      scaling.startFailed(System.nanoTime());
      if (instances.isEmpty() && starting == 0) {
        fail.addAll(queue);
        queue.clear();
      }
      notifyAll();
    }
    for (Call c : fail) {
      finish(c, answers.notReady(e, c.startNanos));
    }
  }

  private void exited(Instance instance) {
    crashed(instance, "exited unexpectedly with status " + instance.process.exitValue());
  }

  private void expire(Call call) {
    boolean removed;
    synchronized (this) {
      removed = queue.remove(call);
    }
    if (removed) {
      finish(call, answers.queueTimeout(call.startNanos));
    }
  }

  /** A call that got a slot on an instance, to be sent outside the lock. */
  private record Dispatch(Instance instance, Call call) {}

  /** Calls from the queue that got a slot; call only under the lock. */
  private List<Dispatch> drainLocked() {
    List<Dispatch> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      Instance i = pickFree();
      if (i == null) {
        break;
      }
      Call c = queue.pollFirst();
      if (c.queueTimeout != null) {
        c.queueTimeout.cancel(false);
      }
      if (c.future.isDone()) {
        continue;
      }
      i.inFlight++;
      out.add(new Dispatch(i, c));
    }
    return out;
  }

  private void sendAll(List<Dispatch> pairs) {
    for (Dispatch d : pairs) {
      send(d.instance(), d.call());
    }
  }

  /**
   * Forwards a call that holds a slot on {@code instance}, on a thread of the instance client.
   * Whatever happens, the slot is given back and the call answered.
   */
  private void send(Instance instance, Call call) {
    try {
      client.execute(() -> forward(instance, call));
    } catch (RejectedExecutionException e) {
      // The client is closed: the runtime is stopping. The slot is not handed on (that would fail
      // the same way, call after call); the pool's close fails what is queued.
      synchronized (this) {
        instance.inFlight--;
      }
      finish(call, answers.stopping(call.startNanos));
    }
  }

  /**
   * Sends a call and answers it, then goes on, on the same thread, with the queued call that took
   * the slot it gave back: a busy pool's calls then cost no thread hand-off.
   */
  private void forward(Instance instance, Call call) {
    Dispatch next = new Dispatch(instance, call);
    while (next != null) {
      next = exchange(next.instance(), next.call());
    }
  }

  /**
   * Sends one call and answers it. Its slot is given back on every path; a queued call that takes
   * it is returned for the caller to send next (others that got a slot are sent on other threads).
   */
  private Dispatch exchange(Instance instance, Call call) {
    InvokeResponse response;
    try {
      InstanceAnswer answer = client.send(instance, call, forwardTimeout);
      response = replies.fromInstance(answer, call.startNanos);
    } catch (HttpTimeoutException e) {
      response = answers.timeout(instance.id, call.startNanos);
    } catch (IOException e) {
      failed(instance, call, e);
      return null;
    } catch (RuntimeException e) {
      response = answers.notSent(instance.id, e, call.startNanos);
    }
    Dispatch next = releaseAndTakeNext(instance);
    finish(call, response);
    return next;
  }

  /** Gives back a slot taken on {@code instance} and hands it to a queued call, if any. */
  private void release(Instance instance) {
    Dispatch next = releaseAndTakeNext(instance);
    if (next != null) {
      send(next.instance(), next.call());
    }
  }

  /**
   * Gives back a slot; the queued calls that got a slot are sent on other threads, except the
   * first, which is returned for this thread to send.
   */
  private Dispatch releaseAndTakeNext(Instance instance) {
    List<Dispatch> toSend;
    synchronized (this) {
      instance.inFlight--;
      instance.lastUsedNanos = System.nanoTime();
      toSend = drainLocked();
    }
    if (toSend.isEmpty()) {
      return null;
    }
    for (int k = 1; k < toSend.size(); k++) {
      send(toSend.get(k).instance(), toSend.get(k).call());
    }
    return toSend.get(0);
  }

  private void failed(Instance instance, Call call, IOException cause) {
    // A connection-level error does not say the instance crashed: a live host closes connections
    // too (at its connection limit, or a keep-alive connection it timed out). Only a process that
    // is gone is a crash. One that is dying (a function that halted its JVM) is seen gone within
    // the grace period; a live one only failed this attempt.
    instance
        .process
        .onExit()
        .thenApply(p -> true)
        .completeOnTimeout(false, EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .thenAccept(dead -> failedAttempt(instance, call, cause, dead));
  }

  private void failedAttempt(Instance instance, Call call, Throwable cause, boolean dead) {
    if (dead) {
      crashed(instance, "failed while serving a request (" + cause + ")");
    }
    release(instance);
    if (!dead) {
      log.runtime(
          "WARN",
          "connection to a live instance failed (" + cause + "); the instance stays",
          instance.id);
    }
    boolean neverArrived = cause instanceof ConnectException;
    if (call.attempts == 0 && (neverArrived || version.config().idempotent())) {
      call.attempts++;
      submit(call);
      return;
    }
    String failure =
        cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    finish(
        call,
        dead
            ? answers.crashed(instance.id, failure, call.startNanos)
            : answers.connectionFailed(instance.id, failure, call.startNanos));
  }

  /**
   * Takes a dead instance out of the pool and counts one crash, once: both a failed request and the
   * process's exit report it.
   */
  private void crashed(Instance instance, String why) {
    boolean first;
    synchronized (this) {
      first = !instance.retiring && !instance.crashed;
      instance.crashed = true;
      instance.gone = true;
      instances.remove(instance);
      if (first) {
        stats.crashes.increment();
        scaleUpLocked(true);
      }
    }
    if (first) {
      log.runtime("ERROR", "instance " + why + "; removed from the pool", instance.id);
      instance.kill();
    }
  }

  private void finish(Call call, InvokeResponse response) {
    replies.finish(call, response);
  }
}
