package io.fctoolkit.runtime.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deadlines for the control API's socket waits: a request head, each read of a body, each write of
 * an answer.
 *
 * <p>Why interrupts: the JDK's {@code com.sun.net.httpserver} (17 and 25) reads the request head on
 * the executor's thread from a {@code SocketChannel} in blocking mode, and has no per-read timeout
 * (its {@code sun.net.httpserver.maxReqTime} is JVM-wide and counts the whole body, which would cut
 * a 4 GiB upload). A blocking {@code SocketChannel} is an {@code InterruptibleChannel}:
 * interrupting the thread blocked on it closes the channel, and the server drops that connection.
 * So every wait on the client runs armed with a deadline, and a sweeper interrupts the threads
 * whose deadline passed. A thread is interrupted only while armed, and disarming (under the same
 * lock) clears the flag, so an interrupt never reaches the runtime's own code.
 */
public final class SlowClientGuard implements AutoCloseable {

  /** A socket wait that may block on the client. */
  @FunctionalInterface
  public interface Io<T> {
    T run() throws IOException;
  }

  private final long headerNanos;
  private final long ioNanos;
  private final Set<Slot> armed = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<Slot> current = new ThreadLocal<>();
  private final ScheduledExecutorService sweeper;
  private final AtomicLong closed = new AtomicLong();

  public SlowClientGuard(Duration headerTimeout, Duration ioTimeout) {
    this.headerNanos = headerTimeout.toNanos();
    this.ioNanos = ioTimeout.toNanos();
    long tick = Math.max(20, Math.min(headerTimeout.toMillis(), ioTimeout.toMillis()) / 5);
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "fc-api-guard");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
  }

  /**
   * Wraps one exchange of the JDK server, called when its connection has bytes to read: the task
   * first reads the head, so the head's deadline starts now (not when a thread is free to run it).
   * {@link #headRead} ends it.
   */
  public Runnable exchange(Runnable task) {
    return run(task, System.nanoTime() + headerNanos);
  }

  /** Wraps a task of the API's executor that writes to a client (an invocation's answer). */
  public Runnable worker(Runnable task) {
    return run(task, 0);
  }

  private Runnable run(Runnable task, long headDeadline) {
    return () -> {
      Slot slot = new Slot(Thread.currentThread());
      current.set(slot);
      if (headDeadline != 0) {
        slot.armUntil(headDeadline);
      }
      try {
        task.run();
      } finally {
        slot.disarm();
        current.remove();
      }
    };
  }

  /** Called when the head is parsed (the handler runs): the head's deadline no longer applies. */
  public void headRead() {
    Slot slot = current.get();
    if (slot != null) {
      slot.disarm();
    }
  }

  /**
   * Runs one wait on the client with the I/O deadline, on threads of the API's executor; elsewhere
   * (a thread the guard does not own) it runs unguarded.
   */
  public <T> T io(Io<T> wait) throws IOException {
    Slot slot = current.get();
    if (slot != null) {
      slot.arm(ioNanos);
    }
    try {
      return wait.run();
    } catch (ClientIoException e) {
      throw e;
    } catch (IOException e) {
      throw new ClientIoException(e);
    } finally {
      if (slot != null) {
        slot.disarm();
      }
    }
  }

  /**
   * A failed wait on the client: it went away, sent a body shorter than declared, or was too slow
   * and its connection was closed. Nobody is left to answer.
   */
  public static final class ClientIoException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientIoException(IOException cause) {
      super("client connection: " + cause.getMessage(), cause);
    }
  }

  /** A body stream whose every read waits at most the I/O timeout for the next bytes. */
  public InputStream body(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return io(in::read);
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return io(() -> in.read(b, off, len));
      }

      @Override
      public long skip(long n) throws IOException {
        return io(() -> in.skip(n));
      }

      @Override
      public void close() throws IOException {
        io(
            () -> {
              in.close();
              return null;
            });
      }
    };
  }

  /** Connections closed because a deadline passed, since start. */
  public long closedCount() {
    return closed.get();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Slot slot : armed) {
      slot.expire(now);
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }

  /** One executor thread's current wait. */
  private final class Slot {
    private final Thread thread;
    private long deadline;
    private boolean isArmed;

    Slot(Thread thread) {
      this.thread = thread;
    }

    void arm(long timeoutNanos) {
      armUntil(System.nanoTime() + timeoutNanos);
    }

    synchronized void armUntil(long deadlineNanos) {
      deadline = deadlineNanos;
      isArmed = true;
      armed.add(this);
    }

    void disarm() {
      synchronized (this) {
        isArmed = false;
        armed.remove(this);
      }
      // An interrupt sent while armed has closed the channel it was meant for; it must not reach
      // what the thread does next.
      Thread.interrupted();
    }

    synchronized void expire(long now) {
      if (isArmed && now - deadline >= 0) {
        isArmed = false;
        armed.remove(this);
        closed.incrementAndGet();
        thread.interrupt();
      }
    }
  }
}
