package io.fctoolkit.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a runtime server.
 *
 * @param stateDir the state folder (functions, versions, aliases, token, images, logs)
 * @param bind the address to listen on; {@code 127.0.0.1} by default
 * @param port the control API's port; {@code 0} picks a free one (tests)
 * @param instanceJavaHome the JDK that runs instances, or null for {@code FC_INSTANCE_JAVA_HOME} or
 *     the fastest found
 * @param queueCapacity requests held per version while every slot is busy; more get 429
 * @param queueTimeout how long a held request may wait for a slot (then 503)
 * @param startTimeout how long an instance may take to report ready
 * @param retireIdle how long an instance of a version no alias routes to may stay idle (drain)
 * @param triggers makes the trigger host; null for none
 * @param instanceUser the Unix user instances run as, or null for the runtime's own; only for a
 *     runtime running as root (see docs/architecture.md, "Who can reach an instance")
 */
public record RuntimeOptions(
    Path stateDir,
    String bind,
    int port,
    String instanceJavaHome,
    int queueCapacity,
    Duration queueTimeout,
    Duration startTimeout,
    Duration retireIdle,
    TriggerHost.Factory triggers,
    String instanceUser) {

  /** The default port of a runtime on a developer's machine. */
  public static final int DEFAULT_PORT = 8765;

  public RuntimeOptions {
    requireNonNull(stateDir, "stateDir");
    requireNonNull(bind, "bind");
    requireNonNull(queueTimeout, "queueTimeout");
    requireNonNull(startTimeout, "startTimeout");
    requireNonNull(retireIdle, "retireIdle");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (queueCapacity < 0) {
      throw new IllegalArgumentException("queueCapacity must be 0 or more, was " + queueCapacity);
    }
  }

  /** Defaults: 127.0.0.1:8765, a queue of 5000 per version held up to 30 s, 30 s to start. */
  public static RuntimeOptions defaults(Path stateDir) {
    return new RuntimeOptions(
        stateDir,
        "127.0.0.1",
        DEFAULT_PORT,
        null,
        5000,
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        null,
        null);
  }

  /** Options for tests: an ephemeral port. */
  public static RuntimeOptions forTest(Path stateDir) {
    return defaults(stateDir).withPort(0);
  }

  /** The default state folder: {@code FC_STATE_DIR}, else {@code ~/.fc-toolkit/local}. */
  public static Path defaultStateDir() {
    String env = System.getenv("FC_STATE_DIR");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".fc-toolkit", "local");
  }

  public RuntimeOptions withPort(int port) {
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        instanceJavaHome,
        queueCapacity,
        queueTimeout,
        startTimeout,
        retireIdle,
        triggers,
        instanceUser);
  }

  public RuntimeOptions withInstanceJavaHome(String home) {
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        home,
        queueCapacity,
        queueTimeout,
        startTimeout,
        retireIdle,
        triggers,
        instanceUser);
  }

  public RuntimeOptions withQueue(int capacity, Duration timeout) {
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        instanceJavaHome,
        capacity,
        timeout,
        startTimeout,
        retireIdle,
        triggers,
        instanceUser);
  }

  public RuntimeOptions withStartTimeout(Duration timeout) {
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        instanceJavaHome,
        queueCapacity,
        queueTimeout,
        timeout,
        retireIdle,
        triggers,
        instanceUser);
  }

  public RuntimeOptions withTriggers(TriggerHost.Factory factory) {
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        instanceJavaHome,
        queueCapacity,
        queueTimeout,
        startTimeout,
        retireIdle,
        factory,
        instanceUser);
  }

  /** These options with instances run as {@code user} (null: as the runtime's own user). */
  public RuntimeOptions withInstanceUser(String user) {
    return new RuntimeOptions(
        stateDir,
        bind,
        port,
        instanceJavaHome,
        queueCapacity,
        queueTimeout,
        startTimeout,
        retireIdle,
        triggers,
        user);
  }
}
