package io.fctoolkit.knative;

import io.fctoolkit.core.InvalidRequestException;

/** A published revision did not become Ready; the version was taken back. */
public class RevisionNotReadyException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  private final String revision;

  public RevisionNotReadyException(String revision, String reason) {
    super(
        "image",
        "revision " + revision + " did not become Ready: " + reason,
        "kubectl describe revision "
            + revision
            + " shows why (image pull, crash at start-up, failing /_fc/ready probe); the version"
            + " was removed again, fix it and publish anew");
    this.revision = revision;
  }

  public String revision() {
    return revision;
  }
}
