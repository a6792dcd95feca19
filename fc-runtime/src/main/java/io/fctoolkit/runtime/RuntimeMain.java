package io.fctoolkit.runtime;

import io.fctoolkit.core.FcException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local runtime until it is stopped (SIGTERM or Ctrl-C).
 *
 * <pre>
 * java -cp ... io.fctoolkit.runtime.RuntimeMain [--state-dir DIR] [--port 8765] [--bind 127.0.0.1]
 *     [--instance-java-home JDK] [--queue-capacity N] [--queue-timeout-ms MS] [--start-timeout-ms MS]
 *     [--instance-user USER]
 * </pre>
 *
 * <p>Prints one JSON line on stdout once it listens: {@code {"msg":"ready","url":...}}.
 */
public final class RuntimeMain {

  private RuntimeMain() {}

  /**
   * The JDK property that sizes the common fork-join pool; read once, when that pool is made.
   *
   * <p>{@code HttpClient.sendAsync} completes every response on {@code CompletableFuture}'s default
   * executor, which is a new thread per task when the common pool has fewer than 2 threads (the
   * default on 2 cores). The runtime forwards every request with it, so on 2 cores each answer cost
   * a thread start, and a 2,000-request burst spent about half of the runtime's CPU on them.
   */
  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * Gives the common pool at least 2 threads (see {@link #COMMON_POOL_PARALLELISM}) unless the
   * operator set the property; only works before anything made the pool, so first in {@code main}.
   */
  static void sizeCommonPool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(
          COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  public static void main(String[] args) throws Exception {
    sizeCommonPool();
    RuntimeOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("fc-runtime: " + e.getMessage());
      System.err.println(
          "usage: RuntimeMain [--state-dir DIR] [--port N] [--bind ADDR] [--instance-java-home JDK]"
              + " [--queue-capacity N] [--queue-timeout-ms MS] [--start-timeout-ms MS]"
              + " [--instance-user USER]");
      System.exit(2);
      return;
    }
    RuntimeServer server;
    try {
      server = RuntimeServer.start(options, e -> System.err.println("fc-runtime: " + e.message()));
    } catch (FcException e) {
      System.err.println("fc-runtime: " + e.describe());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "fc-runtime-shutdown"));
    System.out.println(
        "{\"msg\":\"ready\",\"url\":\""
            + server.uri()
            + "\",\"stateDir\":"
            + io.fctoolkit.runtime.internal.RuntimeJson.MAPPER.writeValueAsString(
                server.stateDir().toString())
            + "}");
    System.out.flush();
    stopped.await();
  }

  static RuntimeOptions parse(String[] args) {
    RuntimeOptions o = RuntimeOptions.defaults(RuntimeOptions.defaultStateDir());
    Path stateDir = o.stateDir();
    String bind = o.bind();
    int port = o.port();
    String javaHome = null;
    int queue = o.queueCapacity();
    Duration queueTimeout = o.queueTimeout();
    Duration startTimeout = o.startTimeout();
    String instanceUser = System.getenv("FC_INSTANCE_USER");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--state-dir" -> stateDir = Path.of(v);
        case "--bind" -> bind = v;
        case "--port" -> port = number(a, v);
        case "--instance-java-home" -> javaHome = v;
        case "--queue-capacity" -> queue = number(a, v);
        case "--queue-timeout-ms" -> queueTimeout = Duration.ofMillis(number(a, v));
        case "--start-timeout-ms" -> startTimeout = Duration.ofMillis(number(a, v));
        case "--instance-user" -> instanceUser = v;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        javaHome,
        queue,
        queueTimeout,
        startTimeout,
        o.retireIdle(),
        null,
        instanceUser == null || instanceUser.isBlank() ? null : instanceUser);
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, was '" + value + "'");
    }
  }
}
