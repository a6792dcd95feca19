package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a failed control call into its JSON error answer (table in docs/control-api.md). */
final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  /**
   * The most of a refused body read and thrown away before answering, so that a client still
   * sending receives the answer instead of a reset connection. A body declared larger is not read:
   * the answer goes at once and the connection is closed.
   */
  static final long DRAIN_LIMIT = 64L << 20;

  private ApiErrors() {}

  /** Answers {@code error}; never throws. */
  static void fail(ApiCall call, Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (t instanceof SlowClientGuard.ClientIoException || t instanceof ClosedChannelException) {
      // The client went away, or was too slow and the guard closed its connection: nobody is left
      // to answer, and it is not the runtime's failure.
      LOG.debug("request {} {} ended: {}", call.method(), call.rawPath(), t.getMessage());
      call.close();
      return;
    }
    int status;
    Map<String, Object> err = new LinkedHashMap<>();
    if (t instanceof Unauthorized) {
      status = 401;
      err.put("type", "Unauthorized");
      call.responseHeaders().set("WWW-Authenticate", "Bearer realm=\"fc-runtime\"");
    } else if (t instanceof PayloadTooLarge) {
      status = 413;
      drainOrClose(call);
      err.put("type", "PayloadTooLarge");
    } else if (t instanceof MethodNotAllowed m) {
      status = 405;
      err.put("type", "MethodNotAllowed");
      if (m.allow() != null) {
        call.responseHeaders().set("Allow", m.allow());
      }
    } else if (t instanceof NotFoundException nf) {
      status = 404;
      err.put("type", "NotFound");
      err.put("kind", nf.kind());
      err.put("name", nf.name());
    } else if (t instanceof ConflictException c) {
      status = 409;
      err.put("type", "Conflict");
      if (c.expectedRevision() != null) {
        err.put("expectedRevision", c.expectedRevision());
        err.put("actualRevision", c.actualRevision());
      }
    } else if (t instanceof InvalidRequestException ir) {
      status = 400;
      err.put("type", "InvalidRequest");
      err.put("field", ir.field());
    } else if (t instanceof ImageImportException ie) {
      status = ie.status();
      err.put(
          "type", status == 404 ? "NotFound" : status == 400 ? "InvalidRequest" : "RegistryError");
      if (status == 404) {
        err.put("kind", "image");
      }
      if (status == 400) {
        err.put("field", "image");
      }
    } else if (t instanceof FcException) {
      status = 503;
      err.put("type", "Unavailable");
    } else if (t instanceof IllegalArgumentException) {
      status = 400;
      err.put("type", "InvalidRequest");
      err.put("field", "body");
    } else {
      status = 500;
      err.put("type", "Internal");
      LOG.error(
          "request {} {} failed", call.method(), call.exchange().getRequestURI().getPath(), t);
    }
    err.put("status", status);
    err.put("message", t.getMessage() == null ? t.toString() : t.getMessage());
    if (t instanceof FcException fc && fc.hint() != null) {
      err.put("hint", fc.hint());
    }
    try {
      call.json(status, Map.of("error", err));
    } catch (IOException | RuntimeException e) {
      call.close();
    }
  }

  /**
   * A refused body is read and discarded after the answer (up to {@link #DRAIN_LIMIT}), so the
   * client, still sending, receives the answer instead of a reset connection; a body declared
   * larger is left unread and the connection dropped after the answer.
   */
  private static void drainOrClose(ApiCall call) {
    if (call.contentLength() > DRAIN_LIMIT) {
      call.dropConnectionAfterAnswer();
    } else {
      call.drainBodyAfterAnswer();
    }
  }

  /** No or a wrong bearer token. */
  static final class Unauthorized extends FcException {
    private static final long serialVersionUID = 1L;

    Unauthorized() {
      super(
          "missing or wrong bearer token",
          "send 'Authorization: Bearer <token>' with the token from the runtime's state folder (file 'token')");
    }
  }

  /** A body over its limit. */
  static final class PayloadTooLarge extends FcException {
    private static final long serialVersionUID = 1L;

    PayloadTooLarge(String what, long limit) {
      super(what + " is larger than the limit of " + limit + " bytes", "send a smaller body");
    }
  }

  /** A method a path does not support; {@code allow} lists those it does (the Allow header). */
  static final class MethodNotAllowed extends FcException {
    private static final long serialVersionUID = 1L;
    private final String allow;

    MethodNotAllowed(String message, String allow) {
      super(message, "see docs/control-api.md");
      this.allow = allow;
    }

    String allow() {
      return allow;
    }
  }
}
