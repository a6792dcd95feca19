package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** Start-up sequence of the host: configure, bind, load the function, report ready. */
public final class Host {
  /** Exit status for a configuration error (a bad or missing environment variable). */
  public static final int EXIT_CONFIG = 2;

  /** Exit status when the function cannot be loaded or initialised. */
  public static final int EXIT_LOAD = 3;

  /** Exit status when the port cannot be bound. */
  public static final int EXIT_BIND = 4;

  /** Exit status when a training run fails. */
  public static final int EXIT_TRAIN = 5;

  private Host() {}

  /**
   * The result of {@link #start}: an exit status when the process should end now, or -1 with the
   * running server (whose threads keep the process alive until SIGTERM).
   */
  public record Outcome(int status, HostServer server, int port) {}

  /**
   * Starts the host as configured by {@code env}, logging to {@code stdout}; with {@code
   * FC_AUTH=stdin} the instance secret is read from {@code stdin}.
   */
  public static Outcome start(Map<String, String> env, InputStream stdin, PrintStream stdout) {
    return start(env, stdin, stdout, true);
  }

  /** Starts the host; {@code signals} false leaves SIGTERM alone (in-process tests). */
  public static Outcome start(
      Map<String, String> env, InputStream stdin, PrintStream stdout, boolean signals) {
    long started = System.nanoTime();
    JsonLog log = new JsonLog(stdout);
    HostConfig config;
    InstanceSecret secret;
    try {
      config = HostConfig.from(env);
      // Before the port opens: no request is ever served without the secret in force.
      secret = config.authStdin() ? InstanceSecret.read(stdin) : null;
    } catch (HostConfigException e) {
      log.error("invalid configuration")
          .field("variable", e.variable())
          .field("error", e.getMessage())
          .write();
      return new Outcome(EXIT_CONFIG, null, -1);
    }
    HostServer server = new HostServer(config, log, secret);
    int port;
    try {
      port = server.start();
    } catch (IOException | RuntimeException e) {
      log.error("could not listen")
          .field("bind", config.bind())
          .field("port", config.port())
          .error(e)
          .write();
      return new Outcome(EXIT_BIND, null, -1);
    }
    // The port is open while the function loads: an early request waits for it instead of being
    // refused, which shortens the time to the first response.
    FunctionInvoker invoker;
    ClassLoader loader;
    try {
      loader = FunctionLoader.classLoader(config.functionClasspath());
      invoker = FunctionLoader.load(config.target(), loader);
    } catch (FunctionLoadException e) {
      log.error("function failed to load")
          .field("function", config.target())
          .field("error", e.getMessage())
          .write();
      server.stopNow();
      return new Outcome(EXIT_LOAD, null, -1);
    }
    server.functionLoaded(invoker, loader);
    if (signals) {
      // Also during training: the signal classes then go into the archive.
      Shutdown.install(server, log);
    }
    log.info("ready")
        .field("port", port)
        .field("function", config.target())
        .field("kind", invoker.kind())
        .field("concurrency", config.concurrency())
        .field("initMs", (System.nanoTime() - started) / 1_000_000L)
        .field("java", System.getProperty("java.version"))
        .write();
    if (config.train()) {
      int status = Trainer.train(port, invoker, log);
      server.stopNow();
      return new Outcome(status, null, port);
    }
    return new Outcome(-1, server, port);
  }
}
