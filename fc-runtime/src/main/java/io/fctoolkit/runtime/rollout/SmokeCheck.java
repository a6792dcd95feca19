package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.SmokeRequest;
import java.util.List;
import java.util.Optional;

/**
 * Runs a rollout's pre-traffic smoke invocations against the new version, one after another, and
 * says why the first one that did not answer as expected failed.
 */
final class SmokeCheck {

  /** Enough of an unexpected answer's body to see what went wrong, not a whole page. */
  private static final int BODY_EXCERPT = 200;

  private SmokeCheck() {}

  /** Empty when every request got its expected status; otherwise the first failure, as a reason. */
  static Optional<String> run(
      RolloutTarget target, String function, int version, List<SmokeRequest> smoke)
      throws InterruptedException {
    for (SmokeRequest r : smoke) {
      InvokeResponse answer;
      try {
        answer = target.invokeVersion(function, version, r);
      } catch (FcException | IllegalStateException e) {
        return Optional.of(
            "smoke invocation '"
                + r.name()
                + "' of version "
                + version
                + " failed: "
                + e.getMessage());
      }
      if (answer.status() != r.expectStatus()) {
        String body = answer.bodyText();
        return Optional.of(
            "smoke invocation '"
                + r.name()
                + "' of version "
                + version
                + " answered "
                + answer.status()
                + ", expected "
                + r.expectStatus()
                + (body.isBlank()
                    ? ""
                    : ": "
                        + (body.length() > BODY_EXCERPT
                            ? body.substring(0, BODY_EXCERPT) + "..."
                            : body)));
      }
    }
    return Optional.empty();
  }
}
