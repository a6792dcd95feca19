package io.fctoolkit.knative;

import io.fctoolkit.core.FcException;

/** The Kubernetes API refused an operation for lack of permission (HTTP 403). */
public class KnativeForbiddenException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String operation;

  public KnativeForbiddenException(String operation, String message, Throwable cause) {
    super(
        "not allowed to " + operation + ": " + message,
        "grant the identity of your kube context this verb on this resource in the namespace (a"
            + " Role and RoleBinding), or use a context that has it",
        cause);
    this.operation = operation;
  }

  /** e.g. {@code update services.serving.knative.dev/grader in namespace prod}. */
  public String operation() {
    return operation;
  }
}
