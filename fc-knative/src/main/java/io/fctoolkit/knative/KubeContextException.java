package io.fctoolkit.knative;

import io.fctoolkit.core.InvalidRequestException;
import java.util.List;

/**
 * The kube context, kubeconfig or namespace an environment file binds does not match what is there,
 * so fc-toolkit refuses to guess another cluster.
 */
public class KubeContextException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> kubeconfigs;
  private final List<String> contexts;

  public KubeContextException(
      String field,
      String source,
      List<String> kubeconfigs,
      List<String> contexts,
      String message,
      String hint) {
    super(field, message, hint);
    this.source = source;
    this.kubeconfigs = List.copyOf(kubeconfigs);
    this.contexts = List.copyOf(contexts);
  }

  /** The environment file whose binding does not match. */
  public String source() {
    return source;
  }

  /** The kubeconfig files that were read (or looked for). */
  public List<String> kubeconfigs() {
    return kubeconfigs;
  }

  /** The contexts those kubeconfig files hold. */
  public List<String> contexts() {
    return contexts;
  }
}
