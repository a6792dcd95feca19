package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;

/** The answers a version pool gives itself when no function answered, each saying why. */
final class PoolAnswers {

  private final Version version;
  private final PoolSettings settings;

  PoolAnswers(Version version, PoolSettings settings) {
    this.version = version;
    this.settings = settings;
  }

  private String name() {
    return version.function() + " v" + version.number();
  }

  InvokeResponse unforwardable(String why, long startNanos) {
    return Responses.error(
        400,
        "InvalidRequest",
        why,
        "send header names that are RFC 9110 tokens and values without control characters",
        0,
        startNanos);
  }

  InvokeResponse notSent(String instance, RuntimeException e, long startNanos) {
    boolean bad = e instanceof IllegalArgumentException;
    return Responses.error(
        bad ? 400 : 500,
        bad ? "InvalidRequest" : "Internal",
        "the request could not be forwarded to instance " + instance + ": " + e,
        null,
        0,
        startNanos);
  }

  InvokeResponse retired(long startNanos) {
    return Responses.error(
        503,
        "VersionRetired",
        "version " + version.number() + " of " + version.function() + " was deleted",
        null,
        0,
        startNanos);
  }

  InvokeResponse stopping(long startNanos) {
    return Responses.error(503, "VersionRetired", "the runtime is stopping", null, 0, startNanos);
  }

  InvokeResponse queueFull(long startNanos) {
    return Responses.error(
        429,
        "QueueFull",
        name()
            + " is at its maximum of "
            + version.config().scaling().maxInstances()
            + " instances and its queue of "
            + settings.queueCapacity()
            + " requests is full",
        "retry later, or raise maxInstances",
        0,
        startNanos);
  }

  InvokeResponse queueTimeout(long startNanos) {
    return Responses.error(
        503,
        "QueueTimeout",
        "no instance of "
            + name()
            + " had a free slot within "
            + settings.queueTimeout().toMillis()
            + " ms",
        "retry later, or raise maxInstances or concurrency",
        0,
        startNanos);
  }

  InvokeResponse notReady(FcException e, long startNanos) {
    return Responses.error(503, "InstanceNotReady", e.getMessage(), e.hint(), 0, startNanos);
  }

  InvokeResponse timeout(String instance, long startNanos) {
    return Responses.error(
        504,
        "Timeout",
        "instance "
            + instance
            + " did not answer within "
            + version.config().resources().timeout().toMillis()
            + " ms",
        null,
        version.number(),
        startNanos);
  }

  InvokeResponse crashed(String instance, String failure, long startNanos) {
    return Responses.error(
        502,
        "InstanceCrashed",
        "instance " + instance + " of " + name() + " failed while serving the request: " + failure,
        "the function's process died; see the version's log. Mark the function idempotent to"
            + " retry such requests once",
        version.number(),
        startNanos);
  }

  InvokeResponse connectionFailed(String instance, String failure, long startNanos) {
    return Responses.error(
        502,
        "InstanceConnectionFailed",
        "the connection to instance " + instance + " of " + name() + " failed: " + failure,
        "the instance is alive and stays in service (it may have been at its connection limit);"
            + " retry, or mark the function idempotent to retry such requests once",
        version.number(),
        startNanos);
  }
}
