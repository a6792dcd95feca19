package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

/** Which platform an environment runs on, and where it is. */
public sealed interface PlatformBinding {

  /** The platform type as written in the file: {@code local} or {@code knative}. */
  String type();

  /**
   * The embedded local runtime.
   *
   * @param stateDir the runtime's state directory, or null for the runtime's default
   * @param runtimeUrl the control API's address, or null for the default on 127.0.0.1
   * @param insecureRegistry whether releases may be pulled from a plain-HTTP registry
   */
  record Local(String stateDir, String runtimeUrl, boolean insecureRegistry)
      implements PlatformBinding {
    @Override
    public String type() {
      return "local";
    }
  }

  /**
   * Knative on a Kubernetes cluster.
   *
   * @param context the kubeconfig context, or null for the current one
   * @param namespace the namespace the functions live in
   */
  record Knative(String context, String namespace) implements PlatformBinding {
    public Knative {
      requireNonNull(namespace, "namespace");
    }

    @Override
    public String type() {
      return "knative";
    }
  }
}
