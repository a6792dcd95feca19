package io.fctoolkit.runtime;

import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Invokes a function inside the runtime process, through the alias router, without an HTTP hop to
 * the control API. Kafka triggers deliver records through it.
 *
 * <p>The alias's weight and key affinity apply per call ({@link InvokeRequest#routingKey()}); the
 * response names the version that served it. Implementations never block the calling thread: the
 * future completes when the function answers, fails, or times out. A full queue completes with
 * status 429 rather than exceptionally, so callers can back off.
 */
public interface InProcessInvoker {

  /** Starts an invocation; the future completes with the function's response. */
  CompletableFuture<InvokeResponse> invoke(InvokeRequest request);
}
