package io.fctoolkit.host.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Graceful drain on SIGTERM (and SIGINT), ending with exit status 0. */
final class Shutdown implements SignalHandler {
  private final HostServer server;
  private final JsonLog log;
  private boolean started;

  private Shutdown(HostServer server, JsonLog log) {
    this.server = server;
    this.log = log;
  }

  /**
   * Installs the handlers. A signal handler rather than a shutdown hook, because the JVM ends with
   * status 143 after a SIGTERM it handled through hooks, and because the user's own shutdown hooks
   * should run after the drain, through System.exit.
   */
  static void install(HostServer server, JsonLog log) {
    Shutdown handler = new Shutdown(server, log);
    try {
      Signal.handle(new Signal("TERM"), handler);
      Signal.handle(new Signal("INT"), handler);
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      // No signal support (another JVM or a locked-down platform): drain in a hook instead.
      Runtime.getRuntime().addShutdownHook(new Thread(handler::drainOnly, "fc-drain"));
    }
  }

  @Override
  public void handle(Signal signal) {
    synchronized (this) {
      if (started) {
        return; // a second signal while draining changes nothing
      }
      started = true;
    }
    log.info("signal").field("signal", "SIG" + signal.getName()).write();
    // Signal handlers run on daemon threads; once the acceptor stops, a daemon alone would let
    // the JVM end before in-flight requests finish. A non-daemon thread keeps it alive.
    Thread drainer =
        new Thread("fc-drain") {
          @Override
          public void run() {
            server.drain();
            System.exit(0);
          }
        };
    drainer.setDaemon(false);
    drainer.start();
  }

  private void drainOnly() {
    server.drain();
  }
}
