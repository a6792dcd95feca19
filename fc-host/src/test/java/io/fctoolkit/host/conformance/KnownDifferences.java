package io.fctoolkit.host.conformance;

import io.fctoolkit.host.conformance.InvokerConformanceTest.Observed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differences from Google's invoker that fc-host keeps on purpose, with their reasons; the same
 * list is in docs/architecture.md ("Differences from Google's invoker"). A case names the
 * differences it shows; the test checks that each named difference really is there (so a stale
 * entry fails) and that the answers are otherwise equal.
 */
enum KnownDifferences {
  /**
   * An error answer carries the host's JSON error body ({@code application/json}, {@code
   * {"error":{"type","message","requestId"}}}); the invoker's is empty. Same status. The reason
   * travels with the answer to the caller, the trigger's dead letter and the log.
   */
  ERROR_BODY {
    @Override
    Observed apply(Observed google, Observed ours) {
      require(google.status() >= 400, "the invoker's answer is an error", google, ours);
      require(google.body().isEmpty() && google.contentType() == null, "empty", google, ours);
      require(
          "application/json".equals(ours.contentType()) && ours.body().startsWith("{\"error\":{"),
          "fc-host's answer is its JSON error body",
          google,
          ours);
      return withoutContentType(ours).withBody("");
    }
  },
  /**
   * A request that can never become the function's input (not a CloudEvent, a CloudEvent or legacy
   * event that is invalid or of a type a background function cannot take) and an {@code
   * IllegalArgumentException} from an event or typed function answer 400, where the invoker answers
   * 500: a 4xx is permanent, so triggers (the local runtime's, Knative's) send the record to the
   * dead letters at once instead of retrying what cannot succeed.
   */
  BAD_INPUT_IS_400 {
    @Override
    Observed apply(Observed google, Observed ours) {
      require(google.status() == 500 && ours.status() == 400, "500 against 400", google, ours);
      return ours.withStatus(500);
    }
  },
  /**
   * A typed function's JSON answer is labelled {@code application/json}; the invoker sends it
   * without a Content-Type. The body is the same; the label lets clients, and a CloudEvent reply's
   * {@code datacontenttype}, know it is JSON.
   */
  TYPED_JSON_IS_LABELLED {
    @Override
    Observed apply(Observed google, Observed ours) {
      require(google.contentType() == null, "the invoker sends no Content-Type", google, ours);
      require("application/json".equals(ours.contentType()), "application/json", google, ours);
      return withoutContentType(ours);
    }
  };

  /** Checks that the difference is there and returns {@code ours} with it taken out. */
  abstract Observed apply(Observed google, Observed ours);

  private static void require(boolean condition, String what, Observed google, Observed ours) {
    if (!condition) {
      throw new AssertionError(
          "documented difference no longer holds ("
              + what
              + "): google="
              + google
              + ", fc-host="
              + ours);
    }
  }

  private static Observed withoutContentType(Observed observed) {
    Map<String, List<String>> headers = new LinkedHashMap<>(observed.headers());
    headers.remove("content-type");
    return new Observed(observed.status(), headers, observed.body(), observed.recorded());
  }
}
