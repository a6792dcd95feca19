package io.fctoolkit.runtime.kafka.internal;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class of the embedded broker's JVM: watches the parent process and exits when it is gone,
 * then runs the given Kafka main class. Without the watch, a runtime killed with {@code kill -9}
 * would leave an orphaned broker holding the data directory's lock and its ports.
 */
public final class BrokerLauncher {
  private BrokerLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: BrokerLauncher <main class> [args...]");
    }
    ProcessHandle.current()
        .parent()
        .ifPresent(
            parent -> {
              Thread watch =
                  new Thread(
                      () -> {
                        while (parent.isAlive()) {
                          try {
                            Thread.sleep(500);
                          } catch (InterruptedException e) {
                            return;
                          }
                        }
                        // System.exit runs Kafka's shutdown hook: a controlled shutdown.
                        System.exit(0);
                      },
                      "parent-watch");
              watch.setDaemon(true);
              watch.start();
            });
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
